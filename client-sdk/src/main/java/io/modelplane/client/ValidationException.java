package io.modelplane.client;

import io.modelplane.client.model.ValidationError;
import java.util.List;

/**
 * The server rejected the request as invalid (HTTP 422, an {@code HTTPValidationError}); {@link
 * #getDetail()} lists every problem with its location, e.g. {@code ["body", "name"]}.
 */
public class ValidationException extends ModelplaneException {

  private static final long serialVersionUID = 1L;

  private final transient List<ValidationError> detail;

  /**
   * Creates an exception.
   *
   * @param message a summary of the problems
   * @param requestId the server's request id, or {@code null}
   * @param responseBody the raw response body, or {@code null}
   * @param detail the problems, as the server listed them
   * @param cause the underlying exception, or {@code null}
   */
  public ValidationException(
      String message,
      String requestId,
      String responseBody,
      List<ValidationError> detail,
      Throwable cause) {
    super(422, message, requestId, responseBody, cause);
    this.detail = List.copyOf(detail);
  }

  /**
   * Returns the problems the server found.
   *
   * @return the {@code detail} list of the response; empty when the body had none
   */
  public List<ValidationError> getDetail() {
    return detail;
  }
}
