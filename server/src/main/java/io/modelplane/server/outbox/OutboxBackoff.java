package io.modelplane.server.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long an outbox task waits after a failed attempt: a bound that starts at {@code initial} and
 * doubles with each attempt up to one minute, of which a random half at most is taken off (so that
 * tasks that failed together do not come back together).
 *
 * <p>The client SDK and the dag-helper take their delays from Failsafe; this one cannot. A task's
 * attempts are counted in its database row, across passes, workers and restarts, and the delay
 * becomes the row's {@code next_attempt_at}. Failsafe computes a delay only inside a live execution
 * that saw every earlier attempt (its backoff grows from the last delay it held), and has no
 * function from an attempt number to a delay.
 */
record OutboxBackoff(Duration initial) {
  static final Duration MAX = Duration.ofMinutes(1);

  /** The wait after attempt {@code failedAttempt} (1 for the first) failed. */
  Duration afterFailed(int failedAttempt) {
    return afterFailed(failedAttempt, ThreadLocalRandom.current());
  }

  /**
   * The wait after attempt {@code failedAttempt} failed, with the jitter drawn from {@code random}.
   */
  Duration afterFailed(int failedAttempt, RandomGenerator random) {
    long bound =
        Math.min(
            initial.toMillis() << Math.min(Math.max(failedAttempt, 1) - 1, 10), MAX.toMillis());
    return Duration.ofMillis(bound - random.nextLong(bound / 2 + 1));
  }
}
