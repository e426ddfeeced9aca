package io.modelplane.server.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where configuration values come from: a system property ({@code modelplane.db.url}) first, then
 * the environment ({@code MODELPLANE_DB_URL}).
 */
public final class Settings {
  private final Map<String, String> environment;
  private final Function<String, String> systemProperties;

  public Settings(Map<String, String> environment, Function<String, String> systemProperties) {
    this.environment = environment;
    this.systemProperties = systemProperties;
  }

  public static Settings fromProcess() {
    return new Settings(System.getenv(), System::getProperty);
  }

  /** The value of an environment-style name such as {@code MODELPLANE_PORT}, blank as absent. */
  public Optional<String> get(String envName) {
    String property = envName.toLowerCase().replace('_', '.');
    String value = systemProperties.apply(property);
    if (value == null) {
      value = environment.get(envName);
    }
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }
}
