package io.modelplane.cli;

/**
 * The exit codes of {@code modelplane}, the same as {@code modelplane-dag-helper}'s where they
 * overlap (2, 3, 4).
 */
public final class ExitCode {

  /** Done; for {@code wait}: the awaited object reached a successful state. */
  public static final int OK = 0;

  /**
   * The server failed (5xx), or {@code wait} ended in a failed state, timed out, or found the
   * object stuck in a state it cannot leave on its own.
   */
  public static final int FAILED = 1;

  /** Invalid arguments, configuration or input file; nothing was sent. */
  public static final int USAGE = 2;

  /** The server rejected the request (4xx). */
  public static final int REJECTED = 3;

  /** The server could not be reached. */
  public static final int UNREACHABLE = 4;

  private ExitCode() {}
}
