package io.modelplane.server;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a start's time goes (docs/benchmarks.md, "Start to ready"): each step is logged at debug as
 * it ends, and one info line sums them up once the server accepts connections. Steps on other
 * threads (the schema migration) are marked so; the total is from the JVM's start.
 */
final class StartupTimeline {
  private static final Logger LOG = LoggerFactory.getLogger(StartupTimeline.class);

  private final long origin = System.nanoTime();

  /** Milliseconds from the JVM's start to this timeline's, or -1 when the OS does not say. */
  private final long jvmToOrigin;

  private final List<String> steps = new ArrayList<>();
  private long last = origin;

  StartupTimeline() {
    long now = System.currentTimeMillis();
    this.jvmToOrigin =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(started -> Math.max(0, now - started.toEpochMilli()))
            .orElse(-1L);
  }

  /** The main thread's step that ends now (it began when the previous one ended). */
  synchronized void step(String name) {
    long now = System.nanoTime();
    record(name, now - last);
    last = now;
  }

  /** A step of another thread, measured by itself. */
  synchronized void parallel(String name, long nanos) {
    record(name + " (in parallel)", nanos);
  }

  private void record(String name, long nanos) {
    String step = name + " " + nanos / 1_000_000 + " ms";
    steps.add(step);
    LOG.debug("Start-up: {}", step);
  }

  /** Logs the summary: every step, and the time from the JVM's start to now. */
  synchronized void ready() {
    long elapsed = (System.nanoTime() - origin) / 1_000_000;
    if (jvmToOrigin < 0) {
      LOG.info("Started in {} ms ({})", elapsed, String.join(", ", steps));
    } else {
      LOG.info(
          "Started in {} ms after the JVM's start (JVM to server start {} ms, {})",
          jvmToOrigin + elapsed,
          jvmToOrigin,
          String.join(", ", steps));
    }
  }
}
