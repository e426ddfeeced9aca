package io.modelplane.testsupport.mlflow;

/** An MLflow error answer: {@code {"error_code", "message"}} with MLflow's HTTP status. */
final class MlflowError extends RuntimeException {
  private final int status;
  private final String errorCode;

  private MlflowError(int status, String errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  String errorCode() {
    return errorCode;
  }

  static MlflowError notFound(String message) {
    return new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", message);
  }

  static MlflowError alreadyExists(String message) {
    return new MlflowError(400, "RESOURCE_ALREADY_EXISTS", message);
  }

  static MlflowError invalidParameter(String message) {
    return new MlflowError(400, "INVALID_PARAMETER_VALUE", message);
  }

  static MlflowError badRequest(String message) {
    return new MlflowError(400, "BAD_REQUEST", message);
  }

  static MlflowError internal(String message) {
    return new MlflowError(500, "INTERNAL_ERROR", message);
  }

  /** MLflow's wording when a required request field is absent. */
  static MlflowError missing(String parameter) {
    return invalidParameter(
        "Missing value for required parameter '"
            + parameter
            + "'. See the API docs for more information about request parameters.");
  }
}
