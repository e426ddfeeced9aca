package io.modelplane.server.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until a condition holds (work the outbox worker does in the background). */
public final class Await {
  private Await() {}

  /** Returns the first value that satisfies {@code done}; fails after {@code limit}. */
  public static <T> T until(
      Supplier<T> probe, java.util.function.Predicate<T> done, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within " + limit + "; last value: " + last);
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = probe.get();
    }
    return last;
  }
}
