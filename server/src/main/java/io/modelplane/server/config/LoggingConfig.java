package io.modelplane.server.config;

import java.util.Locale;
import java.util.Set;

/**
 * {@code MODELPLANE_LOG_LEVEL} (root level, default {@code INFO}) and {@code MODELPLANE_LOG_FORMAT}
 * ({@code text}, the default, or {@code json}: one JSON object per line). A value outside these is
 * a configuration error naming the variable, never a silent fallback.
 */
public record LoggingConfig(String level, Format format) {
  private static final Set<String> LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** The layout of log lines. */
  public enum Format {
    TEXT,
    JSON
  }

  public static LoggingConfig load(Settings settings) {
    String level = settings.get("MODELPLANE_LOG_LEVEL").orElse("INFO").toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new ConfigException(
          "MODELPLANE_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got '"
              + settings.get("MODELPLANE_LOG_LEVEL").orElseThrow()
              + "'");
    }
    String format = settings.get("MODELPLANE_LOG_FORMAT").orElse("text");
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> new LoggingConfig(level, Format.TEXT);
      case "json" -> new LoggingConfig(level, Format.JSON);
      default ->
          throw new ConfigException(
              "MODELPLANE_LOG_FORMAT must be text or json, got '" + format + "'");
    };
  }
}
