package io.modelplane.server.background;

import io.modelplane.server.service.SafeErrors;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One daemon thread that runs a pass again and again, a fixed delay after the last one ended: the
 * outbox worker, the reconcile loop and the local executor each own one. A pass that fails is
 * logged in one line (escaped, no stack trace) and the next one runs as planned.
 */
public final class BackgroundLoop implements AutoCloseable {
  private final String what;
  private final Logger log;
  private final Runnable pass;
  private final ScheduledExecutorService executor;

  /**
   * @param threadName the thread's name, e.g. {@code modelplane-outbox}
   * @param what what a pass is of, for the log line of a failed pass, e.g. {@code Outbox}
   * @param log the owner's logger, so that its lines keep their logger's name
   * @param pass one pass
   */
  public BackgroundLoop(String threadName, String what, Logger log, Runnable pass) {
    this.what = what;
    this.log = log;
    this.pass = pass;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Runs the first pass after {@code firstDelay}, then each one {@code every} after the last. */
  public void start(Duration firstDelay, Duration every) {
    executor.scheduleWithFixedDelay(
        this::passSafely, firstDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs one more pass as soon as the thread is free; nothing once closed. */
  public void runSoon() {
    try {
      executor.execute(this::passSafely);
    } catch (RejectedExecutionException e) {
      // closing: the next start runs what is left
    }
  }

  private void passSafely() {
    try {
      pass.run();
    } catch (RuntimeException e) {
      log.warn("{} pass failed, will retry: {}", what, SafeErrors.describe(e));
    }
  }

  /** Stops planning passes and waits up to 10 s for the one under way. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
