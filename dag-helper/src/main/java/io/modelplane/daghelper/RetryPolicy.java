package io.modelplane.daghelper;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long and how often {@link WritebackClient} retries: exponential backoff with full jitter (the
 * n-th wait is uniformly random between zero and {@code min(maxBackoff, initialBackoff * 2^n)})
 * until {@code deadline} has passed since the first attempt.
 *
 * @param deadline the total time after which retrying stops
 * @param initialBackoff the upper bound of the first wait
 * @param maxBackoff the upper bound of any wait
 */
public record RetryPolicy(Duration deadline, Duration initialBackoff, Duration maxBackoff) {

  /**
   * Validates the durations; a {@code maxBackoff} below {@code initialBackoff} is raised to it.
   *
   * @param deadline the total time after which retrying stops
   * @param initialBackoff the upper bound of the first wait
   * @param maxBackoff the upper bound of any wait
   */
  public RetryPolicy {
    positive(deadline, "deadline");
    positive(initialBackoff, "initialBackoff");
    positive(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      maxBackoff = initialBackoff;
    }
  }

  /**
   * The defaults: a deadline of 300 seconds, waits starting at 500 ms and capped at 30 seconds.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofSeconds(300), Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /**
   * Returns a copy with another deadline.
   *
   * @param deadline the total time after which retrying stops
   * @return a new policy
   */
  public RetryPolicy withDeadline(Duration deadline) {
    return new RetryPolicy(deadline, initialBackoff, maxBackoff);
  }

  /**
   * Returns a copy with another first wait (tests use a few milliseconds).
   *
   * @param initialBackoff the upper bound of the first wait
   * @return a new policy
   */
  public RetryPolicy withInitialBackoff(Duration initialBackoff) {
    return new RetryPolicy(deadline, initialBackoff, maxBackoff);
  }

  /** The wait before retry number {@code retry} (0 for the first retry). */
  Duration backoff(int retry, RandomGenerator random) {
    long cap = maxBackoff.toNanos();
    long bound = initialBackoff.toNanos();
    for (int i = 0; i < retry && bound < cap; i++) {
      bound = bound > cap / 2 ? cap : bound * 2;
    }
    return Duration.ofNanos(random.nextLong(Math.min(bound, cap) + 1));
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
