package io.modelplane.server.integration.mlflow;

import java.util.Optional;

/** What Modelplane asks of the model registry (MLflow). */
public interface ModelRegistry {

  /**
   * True when {@code version} of the registered model exists.
   *
   * @throws RegistryUnavailableException when the registry cannot be reached or fails
   */
  boolean versionExists(String modelName, String version);

  /**
   * The version an alias points at, or empty when the model or the alias does not exist.
   *
   * @throws RegistryUnavailableException when the registry cannot be reached or fails
   */
  Optional<String> resolveAlias(String modelName, String alias);
}
