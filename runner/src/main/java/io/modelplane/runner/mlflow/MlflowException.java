package io.modelplane.runner.mlflow;

import io.modelplane.runner.RunnerException;

/**
 * MLflow answered an error: its HTTP status and, when the body is MLflow's JSON error, its {@code
 * error_code} ({@code RESOURCE_DOES_NOT_EXIST}, {@code RESOURCE_ALREADY_EXISTS}, {@code
 * INVALID_PARAMETER_VALUE}, ...). The message names the call and MLflow's own message, never a
 * credential.
 */
public class MlflowException extends RunnerException {
  private final int status;
  private final String errorCode;

  public MlflowException(String call, int status, String errorCode, String mlflowMessage) {
    super(
        "MLflow "
            + call
            + " answered "
            + status
            + (errorCode == null ? "" : " " + errorCode)
            + (mlflowMessage == null || mlflowMessage.isBlank() ? "" : ": " + mlflowMessage));
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** MLflow's {@code error_code}, or null when the answer was not MLflow's JSON error. */
  public String errorCode() {
    return errorCode;
  }

  public boolean isResourceDoesNotExist() {
    return "RESOURCE_DOES_NOT_EXIST".equals(errorCode);
  }

  public boolean isResourceAlreadyExists() {
    return "RESOURCE_ALREADY_EXISTS".equals(errorCode);
  }
}
