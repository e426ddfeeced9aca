package io.modelplane.cli;

/** Invalid arguments, configuration or input: exit code {@value ExitCode#USAGE}. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
