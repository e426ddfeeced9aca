package io.modelplane.bench;

import io.modelplane.testsupport.process.ServerJarProcess;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server jar as a child process ({@link ServerJarProcess} of test-support, shared with the
 * end-to-end tests) plus what the benchmark measures on it from /proc: CPU time and memory.
 */
final class ServerProcess implements AutoCloseable {
  private final ServerJarProcess process;

  private ServerProcess(ServerJarProcess process) {
    this.process = process;
  }

  static ServerProcess start(
      Path jar, List<String> jvmArgs, Map<String, String> env, Path log, String psk) {
    Map<String, String> settings = new LinkedHashMap<>(env);
    settings.put("MODELPLANE_PLATFORM_PSK", psk);
    return new ServerProcess(
        ServerJarProcess.launch(ServerJarProcess.currentJava(), jvmArgs, jar, settings, log));
  }

  /** Polls /api/health/ready every 5 ms; returns the time from launch to the first 200. */
  Duration awaitReady(HttpClient http, Duration timeout) {
    return process.awaitHttp200(http, "/api/health/ready", timeout, Duration.ofMillis(5));
  }

  /** SIGTERM, without waiting. */
  void terminate() {
    process.terminate();
  }

  /** Waits until the process has exited by itself. */
  void awaitExit(Duration timeout) {
    process.awaitExit(timeout);
  }

  long pid() {
    return process.pid();
  }

  String baseUrl() {
    return process.baseUrl();
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

  @Override
  public void close() {
    process.close();
  }
}
