package io.modelplane.client;

/**
 * The server or one of its dependencies failed or is unavailable (HTTP 5xx); the request id leads
 * to the cause in the server log.
 */
public class ServerException extends ModelplaneException {

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
  public ServerException(
      int status, String message, String requestId, String responseBody, Throwable cause) {
    super(status, message, requestId, responseBody, cause);
  }
}
