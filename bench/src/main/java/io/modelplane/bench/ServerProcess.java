package io.modelplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The server jar as a child process: {@code java [opts] -jar modelplane-server.jar}. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final long launchedAt;

  private ServerProcess(Process process, int port, Path log, long launchedAt) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.launchedAt = launchedAt;
  }

  static ServerProcess start(
      Path jar, List<String> jvmArgs, Map<String, String> env, Path log, String psk) {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> childEnv = builder.environment();
    childEnv.keySet().removeIf(key -> key.startsWith("MODELPLANE_"));
    childEnv.put("MODELPLANE_PORT", Integer.toString(port));
    childEnv.put("MODELPLANE_BIND_ADDRESS", "127.0.0.1");
    childEnv.put("MODELPLANE_PLATFORM_PSK", psk);
    childEnv.putAll(env);
    try {
      Files.createDirectories(log.getParent());
      long launchedAt = System.nanoTime();
      Process process = builder.start();
      return new ServerProcess(process, port, log, launchedAt);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + jar, e);
    }
  }

  /** Polls /api/health/ready every 5 ms; returns the time from launch to the first 200. */
  Duration awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    long deadline = launchedAt + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with code " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> response = http.send(ready, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - launchedAt);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(
        "the server was not ready within " + timeout + ":\n" + logTail());
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** CPU time the process has used, in seconds (all its threads). */
  double cpuSeconds() {
    return ProcFs.processTicks(pid()) / (double) ProcFs.TICKS_PER_SECOND;
  }

  /** CPU time of the JIT compiler threads (C1, C2) so far, in seconds. */
  double jitCpuSeconds() {
    return ProcFs.threadTicks(pid(), "C1 Compiler", "C2 Compiler")
        / (double) ProcFs.TICKS_PER_SECOND;
  }

  /** Resident set size in KiB ({@code VmRSS} of /proc/PID/status). */
  long rssKb() {
    return ProcFs.statusKb(pid(), "VmRSS");
  }

  /** Peak resident set size in KiB ({@code VmHWM}). */
  long peakRssKb() {
    return ProcFs.statusKb(pid(), "VmHWM");
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
