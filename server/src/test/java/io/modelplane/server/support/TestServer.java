package io.modelplane.server.support;

import io.modelplane.server.ModelplaneServer;
import io.modelplane.server.config.AirflowApiVersion;
import io.modelplane.server.config.AirflowConfig;
import io.modelplane.server.config.DagStoreConfig;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.config.MlflowConfig;
import io.modelplane.server.config.OidcConfig;
import io.modelplane.server.config.OutboxConfig;
import io.modelplane.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A real server on a free port, with a temporary data folder and the given database. */
public final class TestServer implements AutoCloseable {
  public static final String PSK = "test-platform-psk-0123456789";

  private final ModelplaneServer server;
  private final ServerConfig config;

  private TestServer(ServerConfig config) {
    this.config = config;
    this.server = ModelplaneServer.start(config);
  }

  public static TestServer start(DatabaseConfig database) {
    return start(database, Optional.empty());
  }

  public static TestServer start(DatabaseConfig database, Optional<AirflowConfig> airflow) {
    return new TestServer(config(database, airflow, Optional.empty()));
  }

  public static TestServer start(
      DatabaseConfig database, Optional<AirflowConfig> airflow, Optional<MlflowConfig> mlflow) {
    return new TestServer(config(database, airflow, mlflow));
  }

  /** A server with a configuration of the test's own, e.g. {@link #config} with another store. */
  public static TestServer start(ServerConfig config) {
    return new TestServer(config);
  }

  /** A server that also accepts JWTs verified as {@code oidc} says. */
  public static TestServer startWithOidc(DatabaseConfig database, OidcConfig oidc) {
    ServerConfig base = config(database, Optional.empty());
    return new TestServer(
        new ServerConfig(
            base.bindAddress(),
            base.port(),
            base.platformPsk(),
            base.dataDir(),
            base.dagStore(),
            base.database(),
            base.airflow(),
            base.publicUrl(),
            base.templatesDir(),
            base.mlflow(),
            base.outbox(),
            Optional.of(oidc),
            base.executor()));
  }

  /** {@code config} with another executor (the contract tests run without one: {@code none}). */
  public static ServerConfig withExecutor(ServerConfig config, ExecutorConfig executor) {
    return config.withExecutor(executor);
  }

  public static ServerConfig config(DatabaseConfig database, Optional<AirflowConfig> airflow) {
    return config(database, airflow, Optional.empty());
  }

  public static ServerConfig config(
      DatabaseConfig database, Optional<AirflowConfig> airflow, Optional<MlflowConfig> mlflow) {
    try {
      Path dataDir = Files.createTempDirectory("modelplane-test");
      return new ServerConfig(
          "127.0.0.1",
          0,
          PSK,
          dataDir,
          new DagStoreConfig.Local(ServerConfig.defaultDagDir(dataDir)),
          database,
          airflow,
          URI.create("http://modelplane.test:8080"),
          Optional.empty(),
          mlflow,
          new OutboxConfig(20, 20, 5, 60_000),
          Optional.empty(),
          airflow.isPresent() ? ExecutorConfig.airflow() : ExecutorConfig.none());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Airflow at {@code baseUrl} with basic credentials (v1) or a session token (v2). */
  public static AirflowConfig airflow(String baseUrl, AirflowApiVersion version) {
    URI base = URI.create(baseUrl);
    return new AirflowConfig(
        base,
        version,
        Optional.of("modelplane"),
        Optional.of("airflow-secret"),
        Optional.empty(),
        base);
  }

  public ApiClient client() {
    return new ApiClient(server.baseUri()).withPsk(PSK);
  }

  public ApiClient anonymousClient() {
    return new ApiClient(server.baseUri());
  }

  public URI baseUri() {
    return server.baseUri();
  }

  /** MLflow at {@code baseUrl}, without a token. */
  public static MlflowConfig mlflow(String baseUrl) {
    return new MlflowConfig(URI.create(baseUrl), Optional.empty());
  }

  /** The local DAG folder; only for servers with a local DAG store. */
  public Path dagDir() {
    return ((DagStoreConfig.Local) config.dagStore()).directory();
  }

  @Override
  public void close() {
    server.close();
  }
}
