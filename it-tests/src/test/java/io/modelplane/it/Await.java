package io.modelplane.it;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until something the server does in the background has happened. */
final class Await {

  private Await() {}

  /** A check that may throw (a SQL query, an HTTP call) while the condition does not hold yet. */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Polls every 50 ms until the condition holds; fails naming {@code what} after {@code timeout}.
   * An exception from the check counts as "not yet" (and is reported if it is the last word).
   */
  static void until(String what, Duration timeout, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError error =
            new AssertionError("timed out after " + timeout + " waiting " + what);
        if (last != null) {
          error.initCause(last);
        }
        throw error;
      }
      sleep(50);
    }
  }

  /** Polls until the supplier returns a value the condition accepts, and returns it. */
  static <T> T value(
      String what, Duration timeout, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
    Object[] holder = new Object[1];
    until(
        what,
        timeout,
        () -> {
          T value = supplier.get();
          holder[0] = value;
          return ok.test(value);
        });
    @SuppressWarnings("unchecked")
    T value = (T) holder[0];
    return value;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
