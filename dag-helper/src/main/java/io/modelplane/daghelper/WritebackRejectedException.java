package io.modelplane.daghelper;

import java.util.List;

/**
 * The server answered with a status that retrying cannot fix (4xx other than 429, or 501 for an
 * endpoint this server does not implement yet), e.g. 404 for an unknown job, 409 for an illegal
 * transition or 422 for an invalid body. Not retried.
 */
public class WritebackRejectedException extends WritebackException {

  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  private final int status;

  /** What the server said was wrong. */
  private final List<String> serverMessages;

  /** The server's request id, or {@code null}. */
  private final String requestId;

  /**
   * Creates an exception.
   *
   * @param status the HTTP status
   * @param serverMessages the server's {@code error}, or its {@code detail} messages
   * @param requestId the server's {@code X-Request-Id}, or {@code null}
   */
  public WritebackRejectedException(int status, List<String> serverMessages, String requestId) {
    super(message(status, serverMessages, requestId), null);
    this.status = status;
    this.serverMessages = List.copyOf(serverMessages);
    this.requestId = requestId;
  }

  /**
   * Returns the HTTP status.
   *
   * @return the status, 4xx or 501
   */
  public int status() {
    return status;
  }

  /**
   * Returns what the server said was wrong.
   *
   * @return the {@code error} field, or one entry per {@code detail} item ({@code "loc: msg"})
   */
  public List<String> serverMessages() {
    return serverMessages;
  }

  /**
   * Returns the request id under which the server logged the request.
   *
   * @return the {@code X-Request-Id} response header, or {@code null}
   */
  public String requestId() {
    return requestId;
  }

  private static String message(int status, List<String> messages, String requestId) {
    StringBuilder s = new StringBuilder("rejected by the server (HTTP ").append(status);
    if (requestId != null) {
      s.append(", request ").append(requestId);
    }
    s.append(")");
    if (!messages.isEmpty()) {
      s.append(": ").append(String.join("; ", messages));
    }
    return s.toString();
  }
}
