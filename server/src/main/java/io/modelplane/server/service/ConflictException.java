package io.modelplane.server.service;

/** The request conflicts with the resource's current state (409); the message names it. */
public final class ConflictException extends ServiceException {
  public ConflictException(String message) {
    super(message);
  }
}
