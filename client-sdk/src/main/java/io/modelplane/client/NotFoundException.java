package io.modelplane.client;

/** The resource does not exist (HTTP 404). */
public class NotFoundException extends ModelplaneException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message the server's error message
   * @param requestId the server's request id, or {@code null}
   * @param responseBody the raw response body, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public NotFoundException(String message, String requestId, String responseBody, Throwable cause) {
    super(404, message, requestId, responseBody, cause);
  }
}
