package io.modelplane.server.service;

/** The addressed resource does not exist (404). */
public final class NotFoundException extends ServiceException {
  public NotFoundException(String message) {
    super(message);
  }
}
