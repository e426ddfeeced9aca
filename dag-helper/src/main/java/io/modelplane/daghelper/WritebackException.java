package io.modelplane.daghelper;

/** A writeback could not be delivered; see the two subclasses for why. */
public class WritebackException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong (never contains the PSK)
   * @param cause the underlying exception, or {@code null}
   */
  public WritebackException(String message, Throwable cause) {
    super(message, cause);
  }
}
