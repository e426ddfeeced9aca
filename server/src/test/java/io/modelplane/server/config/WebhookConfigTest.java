package io.modelplane.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {

  private static WebhookConfig load(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("MODELPLANE_PLATFORM_PSK", "0123456789abcdef");
    return ServerConfig.load(new Settings(env, name -> null)).webhooks();
  }

  @Test
  void theDefaultScheduleIsStandardWebhooksSuggestionOverAboutADay() {
    WebhookConfig config = load(Map.of());

    assertThat(config.retrySchedule())
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));
    assertThat(config.maxAttempts()).isEqualTo(8);
    assertThat(config.retrySchedule().stream().reduce(Duration.ZERO, Duration::plus))
        .isBetween(Duration.ofHours(24), Duration.ofHours(30));
    assertThat(config.allowedHosts()).isEmpty();
  }

  @Test
  void allowedHostsAndAShortScheduleAreRead() {
    WebhookConfig config =
        load(
            Map.of(
                "MODELPLANE_WEBHOOK_ALLOWED_HOSTS", " 127.0.0.1, hooks.internal ,10.0.0.0/8",
                "MODELPLANE_WEBHOOK_RETRY_SCHEDULE", "100ms,2s,1m"));

    assertThat(config.allowedHosts()).containsExactly("127.0.0.1", "hooks.internal", "10.0.0.0/8");
    assertThat(config.retrySchedule())
        .containsExactly(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(1));
  }

  @Test
  void malformedSettingsNameTheVariable() {
    for (Map<String, String> env :
        List.of(
            Map.of("MODELPLANE_WEBHOOK_RETRY_SCHEDULE", "5 seconds"),
            Map.of("MODELPLANE_WEBHOOK_RETRY_SCHEDULE", "5d"),
            Map.of("MODELPLANE_WEBHOOK_ALLOWED_HOSTS", "10.0.0.0/33"),
            Map.of("MODELPLANE_WEBHOOK_ALLOWED_HOSTS", "hooks.internal/8"))) {
      String variable = env.keySet().iterator().next();
      assertThatThrownBy(() -> load(env))
          .as(env.toString())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(variable);
    }
  }
}
