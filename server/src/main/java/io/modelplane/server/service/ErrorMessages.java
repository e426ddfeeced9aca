package io.modelplane.server.service;

/** Error messages as stored: at most the 8,000 characters of their columns. */
public final class ErrorMessages {
  static final int MAX_LENGTH = 8000;

  private ErrorMessages() {}

  /** The message, cut with an ellipsis when it is longer than a column holds; null stays null. */
  public static String truncate(String message) {
    return message == null || message.length() <= MAX_LENGTH
        ? message
        : message.substring(0, MAX_LENGTH - 1) + "…";
  }
}
