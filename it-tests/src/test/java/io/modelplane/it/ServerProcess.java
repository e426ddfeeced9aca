package io.modelplane.it;

import io.modelplane.testsupport.process.ServerJarProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts the real server jar ({@link BuiltJars}) as a child process ({@link ServerJarProcess} of
 * test-support), its stdout and stderr captured to one file under {@code target/it-logs}.
 */
final class ServerProcess {

  /**
   * How long a start may take before the test fails: about 3 s on an idle 2-core machine, but the
   * two failsafe JVMs may start servers and Spark children at the same moment, and on a machine
   * shared with other builds (load average 45) a restart took more than 60 s.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

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

  private ServerProcess() {}

  /**
   * Launches the server and waits until {@code GET /api/health/ping} answers 200.
   *
   * @param name names the log file
   * @param env {@code MODELPLANE_*} settings; the port and bind address are added
   */
  static ServerJarProcess start(String name, Map<String, String> env) {
    ServerJarProcess server = launch(name, env);
    try {
      server.awaitHttp200("/api/health/ping", START_TIMEOUT, Duration.ofMillis(100));
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** Launches the server without waiting for it, e.g. to see it refuse to start. */
  static ServerJarProcess launch(String name, Map<String, String> env) {
    return ServerJarProcess.launch(
        BuiltJars.javaExecutable(),
        JVM_OPTIONS,
        BuiltJars.server(),
        env,
        BuiltJars.workDir().resolve("it-logs"),
        name);
  }
}
