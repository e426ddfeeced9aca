package io.modelplane.client;

/** The credentials are valid but lack the right for this request (HTTP 403). */
public class ForbiddenException extends ModelplaneException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message the server's error message
   * @param requestId the server's request id, or {@code null}
   * @param responseBody the raw response body, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public ForbiddenException(
      String message, String requestId, String responseBody, Throwable cause) {
    super(403, message, requestId, responseBody, cause);
  }
}
