package io.modelplane.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code MODELPLANE_LOG_LEVEL} and {@code MODELPLANE_LOG_FORMAT}: validated, never guessed. */
class LoggingConfigTest {

  private static LoggingConfig load(Map<String, String> env, Map<String, String> properties) {
    return LoggingConfig.load(new Settings(env, properties::get));
  }

  @Test
  void defaultsAreInfoAndText() {
    assertThat(load(Map.of(), Map.of()))
        .isEqualTo(new LoggingConfig("INFO", LoggingConfig.Format.TEXT));
  }

  @Test
  void levelsAndFormatsAreCaseInsensitive() {
    assertThat(
            load(
                Map.of("MODELPLANE_LOG_LEVEL", "debug", "MODELPLANE_LOG_FORMAT", "JSON"), Map.of()))
        .isEqualTo(new LoggingConfig("DEBUG", LoggingConfig.Format.JSON));
  }

  @Test
  void theSystemPropertyWinsOverTheVariable() {
    assertThat(
            load(
                Map.of("MODELPLANE_LOG_LEVEL", "INFO"),
                Map.of("modelplane.log.level", "warn", "modelplane.log.format", "json")))
        .isEqualTo(new LoggingConfig("WARN", LoggingConfig.Format.JSON));
  }

  @Test
  void aWrongLevelIsAnErrorNamingTheVariable() {
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_LOG_LEVEL", "verbose"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MODELPLANE_LOG_LEVEL")
        .hasMessageContaining("'verbose'");
  }

  @Test
  void aWrongFormatIsAnErrorNamingTheVariable() {
    assertThatThrownBy(() -> load(Map.of("MODELPLANE_LOG_FORMAT", "yaml"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MODELPLANE_LOG_FORMAT");
  }
}
