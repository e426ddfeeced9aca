package io.modelplane.daghelper;

/**
 * The server could not be reached, or kept answering 429 or 5xx (other than 501), until the retry
 * deadline passed.
 */
public class ServerUnreachableException extends WritebackException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message the attempts made and the last problem seen
   * @param cause the last network error, or {@code null}
   */
  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
