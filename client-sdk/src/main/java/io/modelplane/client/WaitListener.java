package io.modelplane.client;

import java.time.Duration;

/**
 * Receives every state a {@link Waiter} polls, e.g. to print progress while waiting for a training
 * job:
 *
 * <pre>{@code
 * client.trainingJobs().waitForTerminal(jobId, Duration.ofHours(2),
 *     (job, elapsed) -> System.out.println(elapsed.toSeconds() + "s " + job.getStatus()));
 * }</pre>
 *
 * <p>Called on the waiting thread, after each poll and before the waiter decides whether the state
 * is the awaited one; an exception it throws ends the wait.
 *
 * @param <T> the polled state, e.g. {@code AutoMLTrainingJobResponse}
 */
@FunctionalInterface
public interface WaitListener<T> {

  /** A listener that does nothing. */
  WaitListener<Object> NONE = (state, elapsed) -> {};

  /**
   * Called with each polled state.
   *
   * @param state the state just fetched
   * @param elapsed the time since the wait began
   */
  void onPoll(T state, Duration elapsed);
}
