package io.modelplane.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real server jar ({@code java -jar modelplane-server.jar}, see {@link BuiltJars}) as a child
 * process on a free port of the loopback interface, with its stdout and stderr captured to one file
 * under {@code target/it-logs}.
 *
 * <p>The child gets the test JVM's environment minus every {@code MODELPLANE_*} variable, plus the
 * given ones: a developer's shell settings must not change what a test proves. A server still
 * running when the test JVM exits (a test that forgot to close it, a timeout) is killed with it.
 */
final class ServerProcess implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final Duration STOP_GRACE = Duration.ofSeconds(15);

  /**
   * JVM options of the server process ({@code modelplane.it.server.jvm} splits on spaces): by
   * default the client compiler only and the serial collector, which start the server in half the
   * time on a small, busy machine. They change nothing the tests look at.
   */
  private static final List<String> JVM_OPTIONS =
      List.of(
              System.getProperty(
                      "modelplane.it.server.jvm", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                  .trim()
                  .split("\\s+"))
          .stream()
          .filter(option -> !option.isEmpty())
          .toList();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-modelplane-servers"));
  }

  private final Process process;
  private final int port;
  private final Path logFile;
  private final long launchedAtNanos;
  private long startupMillis = -1;

  private ServerProcess(Process process, int port, Path logFile, long launchedAtNanos) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.launchedAtNanos = launchedAtNanos;
  }

  /**
   * Launches the server and waits until {@code GET /api/health/ping} answers 200.
   *
   * @param name names the log file
   * @param env {@code MODELPLANE_*} settings; the port and bind address are added
   */
  static ServerProcess start(String name, Map<String, String> env) {
    ServerProcess server = launch(name, env);
    try {
      server.awaitPing();
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** Launches the server without waiting for it, e.g. to see it refuse to start. */
  static ServerProcess launch(String name, Map<String, String> env) {
    int port = freePort();
    Path logDir = BuiltJars.workDir().resolve("it-logs");
    Path logFile = logDir.resolve(name + "-" + port + ".log");
    List<String> command = new ArrayList<>();
    command.add(BuiltJars.javaExecutable());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-jar", BuiltJars.server().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    Map<String, String> childEnv = builder.environment();
    childEnv.keySet().removeIf(key -> key.startsWith("MODELPLANE_"));
    childEnv.put("MODELPLANE_PORT", Integer.toString(port));
    childEnv.put("MODELPLANE_BIND_ADDRESS", "127.0.0.1");
    childEnv.putAll(env);
    try {
      Files.createDirectories(logDir);
      long launchedAt = System.nanoTime();
      Process process = builder.start();
      RUNNING.add(process);
      process.onExit().thenAccept(RUNNING::remove);
      return new ServerProcess(process, port, logFile, launchedAt);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the server jar", e);
    }
  }

  private void awaitPing() {
    HttpRequest ping =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health/ping"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    long deadline = launchedAtNanos + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with code " + process.exitValue() + " before answering:\n" + log());
      }
      try {
        if (HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAtNanos);
          return;
        }
      } catch (IOException notListeningYet) {
        // refused, or a timeout while the JVM warms up: keep polling
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the server", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "the server did not answer /api/health/ping within " + START_TIMEOUT + ":\n" + log());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Milliseconds from launching the process to the first 200 of the ping endpoint. */
  long startupMillis() {
    return startupMillis;
  }

  /** Waits for the process to exit by itself and returns its exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the server is still running after " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the process wrote to stdout and stderr so far. */
  String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process id, e.g. for the test output. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the JVM dies at once, without shutdown hooks; waits until it is gone. */
  void kill() {
    try {
      process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM: asks for a graceful shutdown and returns at once (see {@link #awaitExit}). */
  void terminate() {
    process.destroy();
  }

  /** Stops the server: SIGTERM (a graceful shutdown), then SIGKILL after {@link #STOP_GRACE}. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("[modelplane-it] server did not stop on SIGTERM; killing it");
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
