package io.modelplane.server.service;

/** {@code If-Match} names another version of the resource (412). */
public class PreconditionFailedException extends RuntimeException {
  public PreconditionFailedException(String message) {
    super(message);
  }
}
