package io.modelplane.server.service;

/** The caller is authenticated but may not do this (403); the message says what is missing. */
public final class ForbiddenException extends ServiceException {
  public ForbiddenException(String message) {
    super(message);
  }
}
