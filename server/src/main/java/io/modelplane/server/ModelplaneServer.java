package io.modelplane.server;

import io.modelplane.server.api.BuildInfo;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.db.Database;
import io.modelplane.server.executor.LocalExecutor;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.outbox.OutboxWorker;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the services ({@link ModelplaneServices}), the JAX-RS application
 * ({@link ModelplaneApi}) and Jetty ({@link HttpServerFactory}), and runs them. Tests use {@link
 * #start(ServerConfig)} with their own configuration.
 */
public final class ModelplaneServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelplaneServer.class);

  private final Server jetty;
  private final Database database;
  private final Optional<OutboxWorker> outbox;
  private final Optional<LocalExecutor> localExecutor;
  private final DagStore dagStore;
  private final int port;

  private ModelplaneServer(
      Server jetty,
      Database database,
      DagStore dagStore,
      Optional<OutboxWorker> outbox,
      Optional<LocalExecutor> localExecutor,
      int port) {
    this.jetty = jetty;
    this.database = database;
    this.dagStore = dagStore;
    this.outbox = outbox;
    this.localExecutor = localExecutor;
    this.port = port;
  }

  /** Opens the database (migrating it), starts the HTTP server, and returns once it listens. */
  public static ModelplaneServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static ModelplaneServer start(ServerConfig config, Clock clock) {
    BuildInfo build = BuildInfo.load();
    LOG.info("Starting Modelplane {} ({})", build.version(), config);
    Database database = Database.connect(config.database());
    // The schema migrates while the HTTP stack initializes (both mostly load classes, so the two
    // overlap on a second core); connections are accepted once both are done.
    CompletableFuture<Void> migration = migrateInBackground(database);
    ModelplaneServices services = null;
    Server started = null;
    try {
      services = ModelplaneServices.build(config, database, clock);
      started = HttpServerFactory.start(new ModelplaneApi(services, build));
      awaitMigration(migration);
      int port = HttpServerFactory.listen(started, config);
      URI self = selfUri(config.bindAddress(), port);
      services.localExecutor().ifPresent(local -> local.start(self));
      services.outbox().ifPresent(OutboxWorker::start);
      LOG.info("Modelplane listening on {}:{}", config.bindAddress(), port);
      return new ModelplaneServer(
          started,
          database,
          services.dagStore(),
          services.outbox(),
          services.localExecutor(),
          port);
    } catch (Exception e) {
      if (started != null) {
        try {
          started.stop();
        } catch (Exception stopping) {
          e.addSuppressed(stopping);
        }
      }
      migration.exceptionally(failure -> null).join(); // never close the pool under Flyway
      if (services != null) {
        services.dagStore().close();
      }
      database.close();
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private static CompletableFuture<Void> migrateInBackground(Database database) {
    return CompletableFuture.runAsync(
        () -> {
          database.migrate();
          database.isReachable(); // loads the query path before the first request needs it
        },
        task -> {
          Thread thread = new Thread(task, "modelplane-migrate");
          thread.setDaemon(true);
          thread.start();
        });
  }

  private static void awaitMigration(CompletableFuture<Void> migration) {
    try {
      migration.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(e.getCause());
    }
  }

  /** Where this server's own children (local runs) reach it. */
  private static URI selfUri(String bindAddress, int port) {
    String host =
        bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.isBlank()
            ? "127.0.0.1"
            : bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
    return URI.create("http://" + host + ":" + port);
  }

  public int port() {
    return port;
  }

  public URI baseUri() {
    return URI.create("http://localhost:" + port);
  }

  /** Stops accepting requests, lets in-flight ones finish, then closes the database pool. */
  @Override
  public void close() {
    try {
      outbox.ifPresent(OutboxWorker::close);
      localExecutor.ifPresent(LocalExecutor::close);
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("Error while stopping the HTTP server: {}", e.toString());
    } finally {
      dagStore.close();
      database.close();
    }
    LOG.info("Modelplane stopped");
  }
}
