package io.modelplane.server.service;

/** A dependency is down or not configured (503); the message says which. */
public final class UnavailableException extends ServiceException {
  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
