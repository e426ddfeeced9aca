package io.modelplane.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The {@code MODELPLANE_METRICS_*} settings. */
class MetricsConfigTest {

  private static MetricsConfig load(Map<String, String> env, int apiPort) {
    return MetricsConfig.load(new Settings(env, name -> null), apiPort);
  }

  @Test
  void byDefaultMetricsAreOnTheApiPortWithoutCredentials() {
    MetricsConfig config = load(Map.of(), 8080);
    assertThat(config).isEqualTo(new MetricsConfig(true, false, OptionalInt.empty()));
    assertThat(config.onApiPort()).isTrue();
  }

  @Test
  void aPortOfItsOwnAndCredentials() {
    MetricsConfig config =
        load(
            Map.of("MODELPLANE_METRICS_PORT", "9464", "MODELPLANE_METRICS_PSK_REQUIRED", "true"),
            8080);
    assertThat(config).isEqualTo(new MetricsConfig(true, true, OptionalInt.of(9464)));
    assertThat(config.onApiPort()).isFalse();
  }

  @Test
  void theApiPortItselfMeansTheApiPort() {
    assertThat(load(Map.of("MODELPLANE_METRICS_PORT", "8080"), 8080).onApiPort()).isTrue();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_METRICS_ENABLED", "yes"), 8080))
        .hasMessageContaining("MODELPLANE_METRICS_ENABLED");
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_METRICS_PORT", "x"), 8080))
        .hasMessageContaining("MODELPLANE_METRICS_PORT");
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_METRICS_PORT", "70000"), 8080))
        .hasMessageContaining("MODELPLANE_METRICS_PORT");
  }
}
