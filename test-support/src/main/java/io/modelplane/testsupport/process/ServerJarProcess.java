package io.modelplane.testsupport.process;

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
import java.util.function.IntFunction;

/**
 * The Modelplane server jar as a child process ({@code java [options] -jar modelplane-server.jar})
 * on a free port of the loopback interface, with stdout and stderr captured to one log file; shared
 * by the end-to-end tests and the benchmark.
 *
 * <p>The child gets this JVM's environment minus every {@code MODELPLANE_*} variable, plus the
 * port, the loopback bind address and the given settings: a developer's shell must not change what
 * a test measures. A server still running when this JVM exits is killed with it.
 */
public final class ServerJarProcess implements AutoCloseable {
  /** How long {@link #close()} waits after SIGTERM before SIGKILL. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(15);

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
  private volatile long startupMillis = -1;

  private ServerJarProcess(Process process, int port, Path logFile, long launchedAtNanos) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.launchedAtNanos = launchedAtNanos;
  }

  /**
   * Launches the jar without waiting for it.
   *
   * @param java the {@code java} executable
   * @param jvmOptions options before {@code -jar}
   * @param env {@code MODELPLANE_*} settings (the port and bind address are added)
   * @param logFile where stdout and stderr go (its directory is created)
   */
  public static ServerJarProcess launch(
      String java, List<String> jvmOptions, Path jar, Map<String, String> env, Path logFile) {
    return launch(java, jvmOptions, jar, env, port -> logFile);
  }

  /**
   * As {@link #launch(String, List, Path, Map, Path)}, the log at {@code logDir/<name>-<port>.log}.
   */
  public static ServerJarProcess launch(
      String java,
      List<String> jvmOptions,
      Path jar,
      Map<String, String> env,
      Path logDir,
      String name) {
    return launch(java, jvmOptions, jar, env, port -> logDir.resolve(name + "-" + port + ".log"));
  }

  private static ServerJarProcess launch(
      String java,
      List<String> jvmOptions,
      Path jar,
      Map<String, String> env,
      IntFunction<Path> logFileForPort) {
    int port = freePort();
    Path logFile = logFileForPort.apply(port);
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    Map<String, String> childEnv = builder.environment();
    childEnv.keySet().removeIf(key -> key.startsWith("MODELPLANE_"));
    childEnv.put("MODELPLANE_PORT", Integer.toString(port));
    childEnv.put("MODELPLANE_BIND_ADDRESS", "127.0.0.1");
    childEnv.putAll(env);
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      long launchedAt = System.nanoTime();
      Process process = builder.start();
      RUNNING.add(process);
      process.onExit().thenAccept(RUNNING::remove);
      return new ServerJarProcess(process, port, logFile, launchedAt);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + jar, e);
    }
  }

  /** The java executable of this JVM. */
  public static String currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Polls {@code GET path} until it answers 200 and returns the time from launch to that answer
   * (also kept as {@link #startupMillis()}); fails with the log's end when the process exits first
   * or the timeout passes.
   */
  public Duration awaitHttp200(String path, Duration timeout, Duration pollInterval) {
    return awaitHttp200(HTTP, path, timeout, pollInterval);
  }

  /** As {@link #awaitHttp200(String, Duration, Duration)} with the caller's (warm) client. */
  public Duration awaitHttp200(
      HttpClient http, String path, Duration timeout, Duration pollInterval) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    long deadline = launchedAtNanos + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with code "
                + process.exitValue()
                + " before answering:\n"
                + logTail(40));
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          Duration startup = Duration.ofNanos(System.nanoTime() - launchedAtNanos);
          startupMillis = startup.toMillis();
          return startup;
        }
      } catch (IOException notListeningYet) {
        // refused, or a timeout while the JVM warms up: keep polling
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the server", e);
      }
      sleep(pollInterval.toMillis());
    }
    throw new IllegalStateException(
        "the server did not answer " + path + " within " + timeout + ":\n" + logTail(40));
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Milliseconds from launch to the first 200 of {@link #awaitHttp200}, or -1 before it. */
  public long startupMillis() {
    return startupMillis;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process wrote to stdout and stderr so far. */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of the log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits for the process to exit by itself and returns its exit code. */
  public int awaitExit(Duration timeout) {
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

  /** SIGKILL: the JVM dies at once, without shutdown hooks; waits until it is gone. */
  public void kill() {
    try {
      process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM: asks for a graceful shutdown and returns at once (see {@link #awaitExit}). */
  public void terminate() {
    process.destroy();
  }

  /** SIGTERM (a graceful shutdown), then SIGKILL after {@link #STOP_GRACE}. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("[modelplane] server did not stop on SIGTERM; killing it");
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
