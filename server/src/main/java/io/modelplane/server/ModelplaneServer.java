package io.modelplane.server;

import io.modelplane.server.api.BuildInfo;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.db.Database;
import io.modelplane.server.docs.DocsServlet;
import io.modelplane.server.executor.LocalExecutor;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.metrics.MetricsServlet;
import io.modelplane.server.metrics.OutboxMetrics;
import io.modelplane.server.metrics.ServerMetrics;
import io.modelplane.server.outbox.OutboxWorker;
import io.modelplane.server.reconcile.ReconcileLoop;
import io.modelplane.server.service.TrainingJobService;
import io.modelplane.server.service.deployment.DeploymentRuns;
import io.modelplane.server.webhooks.WebhookWorkers;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
  private final Optional<Server> metricsJetty;
  private final ServerMetrics metrics;
  private final Database database;
  private final Optional<OutboxWorker> outbox;
  private volatile Optional<ReconcileLoop> reconcile = Optional.empty();
  private final Optional<LocalExecutor> localExecutor;
  private volatile WebhookWorkers webhooks;
  private volatile TrainingJobService trainingJobs;
  private volatile DeploymentRuns deploymentRuns;
  private final DagStore dagStore;
  private final int port;

  private ModelplaneServer(
      Server jetty,
      Optional<Server> metricsJetty,
      ServerMetrics metrics,
      Database database,
      DagStore dagStore,
      Optional<OutboxWorker> outbox,
      Optional<LocalExecutor> localExecutor,
      int port) {
    this.jetty = jetty;
    this.metricsJetty = metricsJetty;
    this.metrics = metrics;
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
    StartupTimeline timeline = new StartupTimeline();
    BuildInfo build = BuildInfo.load();
    LOG.info("Starting Modelplane {} ({})", build.version(), config);
    Database database = Database.connect(config.database());
    ServerMetrics metrics = ServerMetrics.create(config.metrics().enabled());
    database.publishPoolMetrics(metrics.registry()); // before the pool starts (migration)
    // The schema migrates while the HTTP stack initializes (on a fresh database it is the longest
    // of the two, so it starts first); connections are accepted once both are done.
    CompletableFuture<Void> migration = migrateInBackground(database, timeline);
    timeline.step("configuration, pool and metrics");
    ModelplaneServices services = null;
    Server started = null;
    Optional<Server> metricsJetty = Optional.empty();
    try {
      services = ModelplaneServices.build(config, database, clock, metrics);
      OutboxMetrics.register(metrics, database.jdbi(), clock);
      timeline.step("services");
      MetricsServlet metricsServlet =
          new MetricsServlet(
              metrics,
              config.metrics().credentialsRequired()
                  ? Optional.of(services.authenticators())
                  : Optional.empty());
      List<HttpServerFactory.Mount> mounts = new ArrayList<>();
      mounts.add(new HttpServerFactory.Mount(new DocsServlet(), List.of("", "/docs", "/docs/*")));
      if (config.metrics().onApiPort()) {
        mounts.add(new HttpServerFactory.Mount(metricsServlet, List.of("/metrics")));
      }
      ModelplaneApi api = new ModelplaneApi(services, build, metrics);
      timeline.step("JAX-RS application");
      started = HttpServerFactory.start(api, mounts);
      timeline.step("Jetty and Jersey start");
      awaitMigration(migration);
      timeline.step("waiting for the migration");
      int port = HttpServerFactory.listen(started, config);
      if (config.metrics().enabled() && config.metrics().port().isPresent()) {
        metricsJetty =
            Optional.of(
                HttpServerFactory.startMetrics(
                    metricsServlet, config.bindAddress(), config.metrics().port().getAsInt()));
        LOG.info(
            "Metrics served on {}:{}/metrics",
            config.bindAddress(),
            HttpServerFactory.portOf(metricsJetty.get()));
      }
      URI self = selfUri(config.bindAddress(), port);
      services.localExecutor().ifPresent(local -> local.start(self));
      services.outbox().ifPresent(OutboxWorker::start);
      services.reconcile().ifPresent(ReconcileLoop::start);
      services.webhookWorkers().start();
      timeline.step("listening and background loops");
      LOG.info("Modelplane listening on {}:{}", config.bindAddress(), port);
      timeline.ready();
      warmUpInBackground(services, metrics);
      ModelplaneServer server =
          new ModelplaneServer(
              started,
              metricsJetty,
              metrics,
              database,
              services.dagStore(),
              services.outbox(),
              services.localExecutor(),
              port);
      server.reconcile = services.reconcile();
      server.webhooks = services.webhookWorkers();
      server.trainingJobs = services.trainingJobs();
      server.deploymentRuns = services.deployments().runs();
      return server;
    } catch (Exception e) {
      metricsJetty.ifPresent(ModelplaneServer::stopQuietly);
      metrics.close();
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

  private static CompletableFuture<Void> migrateInBackground(
      Database database, StartupTimeline timeline) {
    return CompletableFuture.runAsync(
        () -> {
          long began = System.nanoTime();
          database.migrate();
          timeline.parallel("schema migration", System.nanoTime() - began);
          began = System.nanoTime();
          database.isReachable(); // loads the query path before the first request needs it
          timeline.parallel("first query", System.nanoTime() - began);
        },
        task -> {
          Thread thread = new Thread(task, "modelplane-migrate");
          thread.setDaemon(true);
          thread.start();
        });
  }

  /**
   * What the first requests would otherwise pay for, done once the server is ready, on a daemon
   * thread of low priority: the JVM's meters and the DAG template engine and its templates.
   */
  private static void warmUpInBackground(ModelplaneServices services, ServerMetrics metrics) {
    Thread thread =
        new Thread(
            () -> {
              metrics.bindJvmMetrics();
              services.renderer().warmUp();
            },
            "modelplane-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
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

  /** The port of {@code /metrics} when it has one of its own ({@code MODELPLANE_METRICS_PORT}). */
  public Optional<Integer> metricsPort() {
    return metricsJetty.map(HttpServerFactory::portOf);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Error while stopping the metrics server: {}", e.toString());
    }
  }

  /**
   * The reconcile loop, when an executor is configured: tests run a pass at a time of their choice
   * with {@link ReconcileLoop#runOnce()}.
   */
  public Optional<ReconcileLoop> reconcileLoop() {
    return reconcile;
  }

  public URI baseUri() {
    return URI.create("http://localhost:" + port);
  }

  /** Stops accepting requests, lets in-flight ones finish, then closes the database pool. */
  @Override
  public void close() {
    try {
      metricsJetty.ifPresent(ModelplaneServer::stopQuietly);
      reconcile.ifPresent(ReconcileLoop::close);
      outbox.ifPresent(OutboxWorker::close);
      if (webhooks != null) {
        webhooks.close();
      }
      localExecutor.ifPresent(LocalExecutor::close);
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("Error while stopping the HTTP server: {}", e.toString());
    } finally {
      if (trainingJobs != null) {
        trainingJobs.close(); // after the HTTP server: its last writebacks commit first
      }
      if (deploymentRuns != null) {
        deploymentRuns.close(); // likewise its last run callbacks
      }
      dagStore.close();
      database.close();
      metrics.close();
    }
    LOG.info("Modelplane stopped");
  }
}
