package io.modelplane.server.config;

import java.net.URI;
import java.util.Optional;

/** How to reach the MLflow model registry; the token is optional. */
public record MlflowConfig(URI baseUrl, Optional<String> token) {
  @Override
  public String toString() {
    return "MlflowConfig[baseUrl=" + baseUrl + "]";
  }
}
