package io.modelplane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes: a JFR recording of the server (CPU samples by layer and by method) and
 * samples of what the database backends are doing (pg_stat_activity state and wait event).
 */
final class Profile {
  private static final Map<String, String> LAYERS = new LinkedHashMap<>();

  static {
    LAYERS.put("io.modelplane.", "modelplane (service, resources, DAOs)");
    LAYERS.put("org.eclipse.jetty.", "Jetty (HTTP)");
    LAYERS.put("org.glassfish.jersey.", "Jersey (JAX-RS)");
    LAYERS.put("org.glassfish.hk2.", "HK2 (Jersey injection)");
    LAYERS.put("org.jvnet.hk2.", "HK2 (Jersey injection)");
    LAYERS.put("org.hibernate.validator.", "Bean Validation");
    LAYERS.put("com.fasterxml.jackson.", "Jackson (JSON)");
    LAYERS.put("org.jdbi.", "JDBI");
    LAYERS.put("org.postgresql.", "PostgreSQL JDBC driver");
    LAYERS.put("com.zaxxer.hikari.", "HikariCP");
    LAYERS.put("ch.qos.logback.", "Logback (logging)");
    LAYERS.put("org.slf4j.", "Logback (logging)");
  }

  private Profile() {}

  static void jcmd(long pid, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(pid));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
    }
  }

  /** CPU samples of the recording, attributed to layers and to methods. */
  static List<String> analyze(Path jfr, Instant from, Instant to) throws IOException {
    Map<String, Long> selfByLayer = new HashMap<>();
    Map<String, Long> inclusiveByLayer = new HashMap<>();
    Map<String, Long> selfByMethod = new HashMap<>();
    Map<String, Long> byThreadGroup = new HashMap<>();
    long total = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")
            || event.getStackTrace() == null
            || event.getStackTrace().getFrames().isEmpty()
            || event.getStartTime().isBefore(from)
            || event.getStartTime().isAfter(to)) {
          continue;
        }
        total++;
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        RecordedMethod top = frames.get(0).getMethod();
        selfByMethod.merge(top.getType().getName() + "." + top.getName(), 1L, Long::sum);
        String attributed = "JDK only (GC, JIT, threads)";
        for (RecordedFrame frame : frames) {
          String layer = layerOf(frame.getMethod().getType().getName());
          if (layer != null) {
            attributed = layer;
            break;
          }
        }
        selfByLayer.merge(attributed, 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
          String layer = layerOf(frame.getMethod().getType().getName());
          if (layer != null && seen.add(layer)) {
            inclusiveByLayer.merge(layer, 1L, Long::sum);
          }
        }
        String thread =
            event.getThread("sampledThread") == null
                ? "?"
                : event.getThread("sampledThread").getJavaName();
        byThreadGroup.merge(
            thread == null ? "?" : thread.replaceAll("[-0-9]+$", ""), 1L, Long::sum);
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "JFR CPU samples of the server in the measured window: %d (Java frames only)", total));
    lines.add(
        "  by layer (a sample counts for the innermost non-JDK frame; JDK code is charged to");
    lines.add(
        "  the library that called it) — and inclusive (the layer is anywhere on the stack):");
    long t = Math.max(1, total);
    selfByLayer.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                lines.add(
                    String.format(
                        "    %-40s %5.1f%%   inclusive %5.1f%%",
                        e.getKey(),
                        100.0 * e.getValue() / t,
                        100.0 * inclusiveByLayer.getOrDefault(e.getKey(), 0L) / t)));
    lines.add("  hottest methods (self):");
    selfByMethod.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(15)
        .forEach(
            e -> lines.add(String.format("    %5.1f%%  %s", 100.0 * e.getValue() / t, e.getKey())));
    lines.add("  by thread:");
    byThreadGroup.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e -> lines.add(String.format("    %5.1f%%  %s", 100.0 * e.getValue() / t, e.getKey())));
    return lines;
  }

  private static String layerOf(String className) {
    for (Map.Entry<String, String> e : LAYERS.entrySet()) {
      if (className.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Samples pg_stat_activity of one database every 10 ms until stopped. */
  static final class WaitSampler implements AutoCloseable {
    private final Map<String, Long> counts = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long samples;

    WaitSampler(Pg pg, String database) {
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    List<String> states = pg.backendStates(database);
                    synchronized (counts) {
                      samples++;
                      for (String state : states) {
                        counts.merge(state, 1L, Long::sum);
                      }
                    }
                    Thread.sleep(10);
                  } catch (Exception e) {
                    return;
                  }
                }
              },
              "pg-wait-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    List<String> report() {
      List<String> lines = new ArrayList<>();
      synchronized (counts) {
        long all = counts.values().stream().mapToLong(Long::longValue).sum();
        lines.add(
            String.format(
                "pg_stat_activity of the server's connections: %d samples x %.1f backends",
                samples, samples == 0 ? 0.0 : (double) all / samples));
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(10)
            .forEach(
                e ->
                    lines.add(
                        String.format(
                            "    %5.1f%%  %s",
                            100.0 * e.getValue() / Math.max(1, all), e.getKey())));
      }
      return lines;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(5_000);
    }
  }

  static void write(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
