package io.modelplane.client;

/**
 * A {@link Waiter} stopped early: the awaited state cannot be reached without someone acting, e.g.
 * a training job is {@code ready} because no orchestrator is configured, or a run is {@code queued}
 * while its deployment is stopped. Waiting longer would only end in a {@link WaitTimeoutException}.
 *
 * <p>The message names what was awaited and why it cannot happen; {@link #getLastValue()} is the
 * last polled object. Not a {@link ModelplaneException}: every call made while waiting succeeded.
 */
public class WaitBlockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the state cannot move on its own. */
  private final String reason;

  private final transient Object lastValue;

  /**
   * Creates an exception.
   *
   * @param description what was awaited, e.g. {@code training job … to be complete or failed}
   * @param reason why it cannot happen on its own
   * @param lastValue the last polled object, or {@code null}
   */
  public WaitBlockedException(String description, String reason, Object lastValue) {
    super("stopped waiting for " + description + ": " + reason);
    this.reason = reason;
    this.lastValue = lastValue;
  }

  /**
   * Why the awaited state cannot be reached on its own.
   *
   * @return the reason, e.g. {@code it is ready and will not start on its own: No orchestrator…}
   */
  public String getReason() {
    return reason;
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
