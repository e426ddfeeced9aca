package io.modelplane.server.metrics;

import io.modelplane.server.integration.mlflow.ModelRegistry;
import java.util.Optional;

/** A {@link ModelRegistry} that times every call to MLflow ({@link ExternalCallMetrics}). */
public final class TimedModelRegistry implements ModelRegistry {
  private final ModelRegistry delegate;
  private final ExternalCallMetrics calls;

  public TimedModelRegistry(ModelRegistry delegate, ExternalCallMetrics calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  @Override
  public boolean versionExists(String modelName, String version) {
    return calls.time("version_exists", () -> delegate.versionExists(modelName, version));
  }

  @Override
  public Optional<String> resolveAlias(String modelName, String alias) {
    return calls.time("resolve_alias", () -> delegate.resolveAlias(modelName, alias));
  }
}
