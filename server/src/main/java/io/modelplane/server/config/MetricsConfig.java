package io.modelplane.server.config;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where and how {@code /metrics} is served: {@code MODELPLANE_METRICS_ENABLED} (default true),
 * {@code MODELPLANE_METRICS_PSK_REQUIRED} (default false: Prometheus scrapes without a key) and
 * {@code MODELPLANE_METRICS_PORT} (unset: the API's port).
 */
public record MetricsConfig(boolean enabled, boolean credentialsRequired, OptionalInt port) {

  public static MetricsConfig load(Settings settings, int apiPort) {
    boolean enabled = flag(settings, "MODELPLANE_METRICS_ENABLED", true);
    boolean required = flag(settings, "MODELPLANE_METRICS_PSK_REQUIRED", false);
    Optional<String> raw = settings.get("MODELPLANE_METRICS_PORT");
    OptionalInt port = OptionalInt.empty();
    if (raw.isPresent()) {
      int value;
      try {
        value = Integer.parseInt(raw.get());
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "MODELPLANE_METRICS_PORT must be a whole number, got '" + raw.get() + "'");
      }
      if (value < 0 || value > 65535) {
        throw new ConfigException("MODELPLANE_METRICS_PORT must be between 0 and 65535");
      }
      if (value != apiPort || apiPort == 0) {
        port = OptionalInt.of(value);
      }
    }
    return new MetricsConfig(enabled, required, port);
  }

  /** Metrics on the API's own port and path ({@code /metrics}). */
  public boolean onApiPort() {
    return enabled && port.isEmpty();
  }

  private static boolean flag(Settings settings, String name, boolean fallback) {
    return settings
        .get(name)
        .map(
            value ->
                switch (value.toLowerCase(Locale.ROOT)) {
                  case "true" -> true;
                  case "false" -> false;
                  default ->
                      throw new ConfigException(
                          name + " must be true or false, got '" + value + "'");
                })
        .orElse(fallback);
  }
}
