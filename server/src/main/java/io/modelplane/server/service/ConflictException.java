package io.modelplane.server.service;

/** The request conflicts with the resource's current state (409); the message names it. */
public class ConflictException extends RuntimeException {
  public ConflictException(String message) {
    super(message);
  }
}
