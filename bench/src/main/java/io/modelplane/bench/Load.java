package io.modelplane.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A closed-loop load phase: N virtual users, each sending its next request when one returns. */
final class Load {
  private Load() {}

  /** One request of virtual user {@code vu}; true when the answer is the expected one. */
  @FunctionalInterface
  interface Action {
    boolean call(int vu, long seq) throws Exception;
  }

  /** CPU time of the parts of the system under test, in clock ticks. */
  record CpuSnapshot(long machineBusy, long machineTotal, long server, long self, long pg) {}

  /** Takes CPU snapshots: the server process, this JVM, and the database's backends. */
  static final class CpuProbe {
    private final long serverPid;
    private final Supplier<List<Long>> pgPids;
    private List<Long> pids = List.of();

    CpuProbe(long serverPid, Supplier<List<Long>> pgPids) {
      this.serverPid = serverPid;
      this.pgPids = pgPids;
    }

    CpuSnapshot start() {
      pids = pgPids.get();
      return snapshot();
    }

    CpuSnapshot snapshot() {
      long[] machine = ProcFs.machineTicks();
      return new CpuSnapshot(
          machine[0],
          machine[1],
          serverPid > 0 ? ProcFs.processTicks(serverPid) : 0,
          ProcFs.processTicks(ProcessHandle.current().pid()),
          ProcFs.sumTicks(pids));
    }
  }

  /** CPU used during a measured window, in milliseconds (all cores together). */
  record Cpu(double machineBusyPct, double serverMs, double loadgenMs, double pgMs) {
    static Cpu between(CpuSnapshot a, CpuSnapshot b) {
      double tick = 1000.0 / ProcFs.TICKS_PER_SECOND;
      long total = b.machineTotal() - a.machineTotal();
      return new Cpu(
          total == 0 ? 0 : 100.0 * (b.machineBusy() - a.machineBusy()) / total,
          (b.server() - a.server()) * tick,
          (b.self() - a.self()) * tick,
          (b.pg() - a.pg()) * tick);
    }
  }

  /** What a phase measured. */
  record Result(
      String workload,
      int concurrency,
      long requests,
      long errors,
      double seconds,
      long[] sortedNanos,
      Cpu cpu,
      String firstError,
      Instant from,
      Instant to) {

    double throughput() {
      return requests / seconds;
    }

    /** The q-quantile latency in milliseconds (nearest rank). */
    double percentileMs(double q) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * sortedNanos.length);
      return sortedNanos[Math.min(sortedNanos.length, Math.max(1, rank)) - 1] / 1e6;
    }

    double maxMs() {
      return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    double perRequest(double cpuMs) {
      return requests == 0 ? Double.NaN : cpuMs / requests;
    }
  }

  /**
   * Runs {@code action} in a closed loop with {@code concurrency} threads: {@code warmupSeconds}
   * unmeasured, then {@code durationSeconds} measured. A request counts when it starts and ends
   * inside the measured window.
   */
  static Result run(
      String workload,
      int concurrency,
      int warmupSeconds,
      int durationSeconds,
      Action action,
      CpuProbe probe) {
    long start = System.nanoTime();
    long measureStart = start + warmupSeconds * 1_000_000_000L;
    long measureEnd = measureStart + durationSeconds * 1_000_000_000L;
    LongList[] latencies = new LongList[concurrency];
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      int vu = i;
      latencies[vu] = new LongList();
      Thread thread =
          new Thread(
              () -> {
                long seq = 0;
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 >= measureEnd) {
                    return;
                  }
                  boolean ok;
                  String error = null;
                  try {
                    ok = action.call(vu, seq++);
                    if (!ok) {
                      error = "unexpected answer";
                    }
                  } catch (Exception e) {
                    ok = false;
                    error = e.toString();
                  }
                  long t1 = System.nanoTime();
                  if (t0 >= measureStart && t1 <= measureEnd) {
                    latencies[vu].add(t1 - t0);
                    if (!ok) {
                      errors.incrementAndGet();
                    }
                  }
                  if (error != null) {
                    firstError.compareAndSet(null, error);
                  }
                }
              },
              "vu-" + workload + "-" + vu);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    sleepUntil(measureStart);
    Instant from = Instant.now();
    CpuSnapshot before = probe.start();
    sleepUntil(measureEnd);
    CpuSnapshot after = probe.snapshot();
    Instant to = Instant.now();
    for (Thread thread : threads) {
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    int total = Arrays.stream(latencies).mapToInt(l -> l.size).sum();
    long[] all = new long[total];
    int at = 0;
    for (LongList list : latencies) {
      System.arraycopy(list.values, 0, all, at, list.size);
      at += list.size;
    }
    Arrays.sort(all);
    return new Result(
        workload,
        concurrency,
        total,
        errors.get(),
        durationSeconds,
        all,
        Cpu.between(before, after),
        firstError.get(),
        from,
        to);
  }

  /** Latencies of {@code samples} sequential calls after {@code warmup} unmeasured ones. */
  static long[] sequential(int warmup, int samples, Action action) throws Exception {
    for (int i = 0; i < warmup; i++) {
      if (!action.call(0, i)) {
        throw new IllegalStateException("unexpected answer during warm-up");
      }
    }
    long[] nanos = new long[samples];
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      if (!action.call(0, i)) {
        throw new IllegalStateException("unexpected answer");
      }
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  static double percentileMs(long[] sortedNanos, double q) {
    int rank = (int) Math.ceil(q * sortedNanos.length);
    return sortedNanos[Math.min(sortedNanos.length, Math.max(1, rank)) - 1] / 1e6;
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        Thread.sleep(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A growable array of longs: no boxing on the measurement path. */
  static final class LongList {
    long[] values = new long[4096];
    int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }
  }
}
