package io.modelplane.client;

import java.time.Duration;

/**
 * A {@link Waiter} gave up: the awaited condition did not hold within the timeout. The message
 * names what was awaited, the timeout and the last state seen; {@link #getLastValue()} is the last
 * polled object itself.
 *
 * <p>Not a {@link ModelplaneException}: every call made while waiting succeeded, the state just did
 * not get there in time.
 */
public class WaitTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How long was waited. */
  private final Duration timeout;

  /** How many times the state was fetched. */
  private final int polls;

  private final transient Object lastValue;

  /**
   * Creates an exception.
   *
   * @param description what was awaited, e.g. {@code training job … to reach a terminal status}
   * @param timeout how long was waited
   * @param polls how many times the state was fetched
   * @param lastValue the last polled object, or {@code null}
   * @param lastState a short description of the last polled object, e.g. {@code status running}
   */
  public WaitTimeoutException(
      String description, Duration timeout, int polls, Object lastValue, String lastState) {
    super(
        "timed out after "
            + timeout
            + " waiting for "
            + description
            + " ("
            + polls
            + (polls == 1 ? " poll" : " polls")
            + "; last seen: "
            + lastState
            + ")");
    this.timeout = timeout;
    this.polls = polls;
    this.lastValue = lastValue;
  }

  /**
   * How long was waited.
   *
   * @return the timeout that passed
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * How many times the state was fetched.
   *
   * @return at least 1
   */
  public int getPolls() {
    return polls;
  }

  /**
   * The last polled object, e.g. an {@code AutoMLTrainingJobResponse}.
   *
   * @return the object, or {@code null} after deserialization of this exception
   */
  public Object getLastValue() {
    return lastValue;
  }
}
