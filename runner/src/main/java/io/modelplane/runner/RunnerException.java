package io.modelplane.runner;

/**
 * A failure the user can act on: bad input, a missing table or column, a model that cannot be
 * loaded. {@link RunnerMain} prints its message as the one line on stderr and exits non-zero, so it
 * must name the thing that is wrong and never carry a secret.
 */
public class RunnerException extends RuntimeException {

  public RunnerException(String message) {
    super(message);
  }

  public RunnerException(String message, Throwable cause) {
    super(message, cause);
  }
}
