package io.modelplane.client;

import java.time.Duration;

/**
 * Waits between attempts of a {@link RetryPolicy} and between polls of a {@link Waiter}. The
 * default is {@link #SYSTEM} ({@link Thread#sleep}); tests inject one that records the waits and
 * returns at once.
 */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps on the calling thread with {@link Thread#sleep(long, int)}. */
  Sleeper SYSTEM =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
      };

  /**
   * Waits for the given time.
   *
   * @param duration how long; zero or negative returns at once
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;
}
