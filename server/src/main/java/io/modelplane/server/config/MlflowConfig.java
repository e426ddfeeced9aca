package io.modelplane.server.config;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach the MLflow model registry: without credentials, with a bearer token, or with HTTP
 * Basic credentials (MLflow's own auth app). Secrets never appear in {@link #toString()}.
 */
public record MlflowConfig(
    URI baseUrl, Optional<String> token, Optional<String> username, Optional<String> password) {

  public MlflowConfig {
    if (username.isPresent() != password.isPresent()) {
      throw new ConfigException(
          "MODELPLANE_MLFLOW_USERNAME and MODELPLANE_MLFLOW_PASSWORD go together: set both or"
              + " neither");
    }
    if (token.isPresent() && username.isPresent()) {
      throw new ConfigException(
          "MODELPLANE_MLFLOW_TOKEN and MODELPLANE_MLFLOW_USERNAME/PASSWORD exclude each other:"
              + " MLflow takes a bearer token or HTTP Basic credentials");
    }
  }

  /** MLflow with a bearer token or none. */
  public MlflowConfig(URI baseUrl, Optional<String> token) {
    this(baseUrl, token, Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    String auth =
        token.isPresent() ? "bearer" : username.map(u -> "basic user " + u).orElse("none");
    return "MlflowConfig[baseUrl=" + baseUrl + ", auth=" + auth + "]";
  }
}
