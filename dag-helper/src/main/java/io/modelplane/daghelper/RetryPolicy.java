package io.modelplane.daghelper;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how often {@link WritebackClient} retries: exponential backoff with full jitter (the
 * n-th wait is uniformly random between zero and {@code min(maxBackoff, initialBackoff * 2^n)})
 * until {@code deadline} has passed since the first attempt. The decisions are those of a <a
 * href="https://failsafe.dev">Failsafe</a> retry policy that this record configures.
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

  /**
   * The Failsafe policy of a writeback: every attempt recorded is a failed one (network error, 429
   * or a retryable 5xx), retried until the deadline. Failsafe's jitter factor {@code f} spreads a
   * delay {@code d} over {@code d * (1 ± f)}: full jitter up to a bound is half the bound spread by
   * ±100 %. A first wait beyond the deadline would be cut to it anyway (and Failsafe refuses a
   * delay longer than the deadline), so the bounds start at most at the deadline.
   */
  dev.failsafe.RetryPolicy<Object> failsafe() {
    Duration first = half(initialBackoff.compareTo(deadline) < 0 ? initialBackoff : deadline);
    Duration max = half(maxBackoff);
    dev.failsafe.RetryPolicyBuilder<Object> builder =
        dev.failsafe.RetryPolicy.builder().handleResultIf(failedAttempt -> true);
    if (first.compareTo(max) < 0) {
      builder.withBackoff(first, max, 2.0);
    } else {
      builder.withDelay(first);
    }
    return builder.withJitter(1.0).withMaxRetries(-1).withMaxDuration(deadline).build();
  }

  private static Duration half(Duration d) {
    return Duration.ofNanos(Math.max(1, d.toNanos() / 2));
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
