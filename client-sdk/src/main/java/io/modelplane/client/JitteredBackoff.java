package io.modelplane.client;

import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;

/**
 * Failsafe's exponential backoff with the SDK's kind of jitter, for {@link RetryPolicy} and {@link
 * Waiter}: each wait lies between {@code (1 - jitter)} times its bound and the bound, never above.
 *
 * <p>Failsafe's jitter factor {@code f} spreads a delay {@code d} over {@code d * (1 ± f)}. Both
 * ends of the SDK's range are met when Failsafe is given the bounds scaled by {@code 1 - jitter/2}
 * and {@code f = jitter / (2 - jitter)}: e.g. full jitter ({@code 1}) is a delay of half the bound,
 * spread by ±100 %.
 */
final class JitteredBackoff {
  private JitteredBackoff() {}

  /**
   * Sets the delays of {@code builder}: the first bound is {@code first}, each next one {@code
   * factor} times the last, at most {@code max}; a random fraction up to {@code jitter} is taken
   * off each.
   */
  static <R> RetryPolicyBuilder<R> configure(
      RetryPolicyBuilder<R> builder, Duration first, Duration max, double factor, double jitter) {
    double scale = 1.0 - jitter / 2;
    Duration scaledFirst = scaled(first, scale);
    Duration scaledMax = scaled(max, scale);
    if (factor > 1.0 && scaledFirst.compareTo(scaledMax) < 0) {
      builder.withBackoff(scaledFirst, scaledMax, factor);
    } else {
      builder.withDelay(scaledFirst);
    }
    if (jitter > 0) {
      builder.withJitter(jitter / (2 - jitter));
    }
    return builder;
  }

  private static Duration scaled(Duration bound, double scale) {
    return Duration.ofNanos(Math.max(1, (long) (bound.toNanos() * scale)));
  }
}
