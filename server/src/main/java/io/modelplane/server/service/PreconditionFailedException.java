package io.modelplane.server.service;

/** {@code If-Match} names another version of the resource (412). */
public final class PreconditionFailedException extends ServiceException {
  public PreconditionFailedException(String message) {
    super(message);
  }
}
