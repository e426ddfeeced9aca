package io.modelplane.it;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.RetryPolicy;
import io.modelplane.client.Waiter;
import io.modelplane.testsupport.process.ServerJarProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The server jar as a process on a database of its own (PostgreSQL, or embedded H2), behind a
 * {@link ContractProxy}: what every end-to-end test talks to. Clients and the dag-helper get the
 * proxy's URL, so every request and response of a test is checked against the contract.
 *
 * <p>The server can be killed, stopped and started again on the same database and data directory
 * ({@link #startAgain}); the proxy then forwards to the new process.
 */
final class ServerUnderTest implements AutoCloseable {

  private final String name;
  private final String psk = "it-psk-" + UUID.randomUUID().toString().replace("-", "");
  private final PostgresDatabase database;
  private final Path dataDir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final ContractProxy proxy;
  private ServerJarProcess server;

  private ServerUnderTest(String name, PostgresDatabase database, Map<String, String> extraEnv) {
    this.name = name;
    this.database = database;
    try {
      this.dataDir = Files.createTempDirectory("modelplane-it-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("MODELPLANE_PLATFORM_PSK", psk);
    env.put("MODELPLANE_DATA_DIR", dataDir.toString());
    if (database != null) {
      env.putAll(database.serverEnv());
    }
    if (!extraEnv.containsKey("MODELPLANE_AIRFLOW_URL")) {
      // The end-to-end suite's servers without Airflow store DAGs only; LocalExecutorIT asks for
      // the local executor (the server's own default without Airflow) explicitly.
      env.put("MODELPLANE_EXECUTOR", "none");
    }
    env.putAll(extraEnv);
    this.proxy = ContractProxy.start("http://127.0.0.1:9"); // retargeted once the server is up
  }

  /** The server on a new PostgreSQL database of its own (skipped without PostgreSQL). */
  static ServerUnderTest onPostgres(String name, Map<String, String> extraEnv) {
    return start(name, PostgresDatabase.create(), extraEnv);
  }

  /** The server on this database (closed with it). */
  static ServerUnderTest start(
      String name, PostgresDatabase database, Map<String, String> extraEnv) {
    ServerUnderTest underTest = new ServerUnderTest(name, database, extraEnv);
    try {
      underTest.startAgain(Map.of());
      return underTest;
    } catch (RuntimeException | Error e) {
      underTest.close();
      throw e;
    }
  }

  /** The server on its embedded H2 database (in its own data directory). */
  static ServerUnderTest onH2(String name, Map<String, String> extraEnv) {
    return start(name, null, extraEnv);
  }

  /**
   * Starts a (new) server process on the same database and data directory, with these settings
   * changed, and points the proxy at it. The previous process must be gone.
   */
  ServerJarProcess startAgain(Map<String, String> changes) {
    if (server != null && server.isAlive()) {
      throw new IllegalStateException("the previous server process is still running");
    }
    env.putAll(changes);
    server = ServerProcess.start(name, env);
    proxy.retarget(server.baseUrl());
    System.out.println(
        "[modelplane-it] "
            + name
            + ": server pid "
            + server.pid()
            + " on "
            + (database == null ? "embedded H2" : "PostgreSQL database " + database.name())
            + " answered after "
            + server.startupMillis()
            + " ms; clients use the contract proxy "
            + proxy.baseUrl());
    return server;
  }

  String psk() {
    return psk;
  }

  /** The URL clients use: the contract proxy. */
  String baseUrl() {
    return proxy.baseUrl();
  }

  ContractProxy proxy() {
    return proxy;
  }

  ServerJarProcess server() {
    return server;
  }

  PostgresDatabase database() {
    if (database == null) {
      throw new IllegalStateException(name + " runs on H2");
    }
    return database;
  }

  Path dataDir() {
    return dataDir;
  }

  /** A client through the proxy with the platform PSK, short backoffs and waits. */
  ModelplaneClient client() {
    return clientBuilder().build();
  }

  /** A client through the proxy that never retries: every failure is seen as it happened. */
  ModelplaneClient clientWithoutRetries() {
    return clientBuilder().retryPolicy(RetryPolicy.none()).build();
  }

  ModelplaneClient.Builder clientBuilder() {
    return unauthenticatedClientBuilder().psk(psk);
  }

  /** Short timeouts: the tests wait for a server on the same machine. */
  ModelplaneClient.Builder unauthenticatedClientBuilder() {
    return ModelplaneClient.builder()
        .baseUrl(baseUrl())
        .connectTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(30))
        .retryPolicy(
            RetryPolicy.builder()
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofMillis(200))
                .build())
        .waiter(
            Waiter.builder()
                .initialDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofMillis(500))
                .build());
  }

  /** The dag-helper jar, through the proxy, with the platform PSK (as the DAGs run it). */
  DagHelperCli dagHelper() {
    return new DagHelperCli(baseUrl(), psk);
  }

  /** Fails with every contract violation seen since the last call. */
  void assertContractKept() {
    proxy.assertNoViolations();
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      proxy.close();
      if (database != null) {
        database.close();
      }
      deleteRecursively(dataDir);
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[modelplane-it] could not delete " + dir + ": " + e);
    }
  }
}
