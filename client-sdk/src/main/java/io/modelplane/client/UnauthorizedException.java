package io.modelplane.client;

/** The credentials are missing, invalid or expired (HTTP 401). */
public class UnauthorizedException extends ModelplaneException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message the server's error message
   * @param requestId the server's request id, or {@code null}
   * @param responseBody the raw response body, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public UnauthorizedException(
      String message, String requestId, String responseBody, Throwable cause) {
    super(401, message, requestId, responseBody, cause);
  }
}
