package io.modelplane.server.integration.mlflow;

/** The model registry could not answer; the message is safe to show and names no secret. */
public class RegistryUnavailableException extends RuntimeException {
  public RegistryUnavailableException(String message) {
    super(message);
  }

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
