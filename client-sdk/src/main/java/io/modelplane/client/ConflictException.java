package io.modelplane.client;

/**
 * The request conflicts with the current state, e.g. an illegal status transition (HTTP 409), or an
 * {@code If-Match} precondition failed (HTTP 412).
 */
public class ConflictException extends ModelplaneException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param status the HTTP status
   * @param message the server's error message
   * @param requestId the server's request id, or {@code null}
   * @param responseBody the raw response body, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public ConflictException(
      int status, String message, String requestId, String responseBody, Throwable cause) {
    super(status, message, requestId, responseBody, cause);
  }
}
