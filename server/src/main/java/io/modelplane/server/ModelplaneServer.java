package io.modelplane.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.api.BuildInfo;
import io.modelplane.server.api.DeploymentResource;
import io.modelplane.server.api.JsonMapper;
import io.modelplane.server.api.KeyResource;
import io.modelplane.server.api.NoNulText;
import io.modelplane.server.api.PatchBodies;
import io.modelplane.server.api.RequestBodyLimitFilter;
import io.modelplane.server.api.RequestLogFilter;
import io.modelplane.server.api.SecurityHeadersFilter;
import io.modelplane.server.api.SystemResource;
import io.modelplane.server.api.TimeParamConverters;
import io.modelplane.server.api.TrainingJobResource;
import io.modelplane.server.api.auth.AuthenticationFilter;
import io.modelplane.server.api.auth.Authenticator;
import io.modelplane.server.api.auth.AuthorizationFeature;
import io.modelplane.server.api.auth.JwtAuthenticator;
import io.modelplane.server.api.auth.PlatformPskAuthenticator;
import io.modelplane.server.api.auth.UserPskAuthenticator;
import io.modelplane.server.api.errors.CatchAllExceptionMapper;
import io.modelplane.server.api.errors.ConstraintViolationMapper;
import io.modelplane.server.api.errors.JsonProcessingExceptionMapper;
import io.modelplane.server.api.errors.ParamExceptionMapper;
import io.modelplane.server.api.errors.ServiceExceptionMapper;
import io.modelplane.server.api.errors.WebApplicationExceptionMapper;
import io.modelplane.server.config.DagStoreConfig;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.db.Database;
import io.modelplane.server.integration.airflow.AirflowClient;
import io.modelplane.server.integration.airflow.HttpAirflowClient;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.integration.dagstore.LocalDagStore;
import io.modelplane.server.integration.dagstore.S3DagStore;
import io.modelplane.server.integration.mlflow.HttpMlflowClient;
import io.modelplane.server.integration.mlflow.ModelRegistry;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxWorker;
import io.modelplane.server.render.DagRenderer;
import io.modelplane.server.service.AccessPolicy;
import io.modelplane.server.service.TrainingJobService;
import io.modelplane.server.service.UserPskService;
import io.modelplane.server.service.deployment.Deployments;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part from the configuration, wires them explicitly and runs
 * Jersey on Jetty. Tests use {@link #start(ServerConfig)} with their own configuration.
 */
public final class ModelplaneServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelplaneServer.class);

  private final Server jetty;
  private final Database database;
  private final Optional<OutboxWorker> outbox;
  private final DagStore dagStore;
  private final int port;

  private ModelplaneServer(
      Server jetty, Database database, DagStore dagStore, Optional<OutboxWorker> outbox, int port) {
    this.jetty = jetty;
    this.database = database;
    this.dagStore = dagStore;
    this.outbox = outbox;
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
    CompletableFuture<Void> migration =
        CompletableFuture.runAsync(
            () -> {
              database.migrate();
              database.isReachable(); // loads the query path before the first request needs it
            },
            task -> {
              Thread thread = new Thread(task, "modelplane-migrate");
              thread.setDaemon(true);
              thread.start();
            });
    DagStore dagStore = null;
    Server started = null;
    try {
      ObjectMapper json = JsonMapper.create();
      dagStore = dagStore(config.dagStore());
      Optional<AirflowClient> airflow =
          config.airflow().map(airflowConfig -> new HttpAirflowClient(airflowConfig, json));
      if (airflow.isEmpty()) {
        LOG.warn("No orchestrator configured (MODELPLANE_AIRFLOW_URL): DAGs are stored, not run");
      }
      DagRenderer renderer = new DagRenderer(config.templatesDir());
      TrainingJobService trainingJobs =
          new TrainingJobService(
              database.jdbi(), dagStore, renderer, airflow, config.publicUrl(), json, clock);
      Optional<ModelRegistry> registry =
          config.mlflow().map(m -> new HttpMlflowClient(m.baseUrl(), m.token(), json));
      if (registry.isEmpty()) {
        LOG.warn("No model registry configured (MODELPLANE_MLFLOW_URL): versions are not checked");
      }
      AccessPolicy policy = new AccessPolicy();
      Optional<Outbox> outboxTasks = airflow.map(client -> new Outbox(json));
      Deployments deployments =
          Deployments.create(
              database.jdbi(),
              dagStore,
              renderer,
              outboxTasks,
              registry,
              config.publicUrl(),
              json,
              clock,
              policy);
      UserPskService userPsks = new UserPskService(database.jdbi(), json, clock);
      // Tried in order: the platform PSK (no I/O), user PSKs (mpk_…), JWTs (Bearer only).
      List<Authenticator> authenticators = new ArrayList<>();
      authenticators.add(new PlatformPskAuthenticator(config.platformPsk()));
      authenticators.add(new UserPskAuthenticator(userPsks));
      config.oidc().ifPresent(oidc -> authenticators.add(new JwtAuthenticator(oidc, clock)));
      if (config.oidc().isEmpty()) {
        LOG.info("No OIDC issuer configured (MODELPLANE_OIDC_ISSUER): bearer JWTs are refused");
      }
      Optional<OutboxWorker> outbox =
          airflow.map(
              client ->
                  new OutboxWorker(
                      database.jdbi(),
                      client,
                      outboxTasks.orElseThrow(),
                      deployments.outboxListener(),
                      trainingJobs.outboxListener(),
                      clock,
                      new OutboxWorker.OutboxSettings(
                          Duration.ofMillis(config.outbox().pollMillis()),
                          Duration.ofMillis(config.outbox().initialBackoffMillis()),
                          config.outbox().maxAttempts(),
                          Duration.ofMinutes(2),
                          Duration.ofMillis(config.outbox().deleteRecheckMillis()))));

      ResourceConfig api = new ResourceConfig();
      api.property(ServerProperties.WADL_FEATURE_DISABLE, true);
      api.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
      api.property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
      api.register(JacksonFeature.withoutExceptionMappers());
      api.register(new JsonMapper());
      api.register(new TimeParamConverters());
      api.register(new RequestLogFilter());
      api.register(new RequestBodyLimitFilter());
      api.register(new AuthenticationFilter(authenticators));
      api.register(
          new AuthorizationFeature(policy, trainingJobs::ownerOf, deployments.lifecycle()::exists));
      api.register(new SecurityHeadersFilter());
      api.register(new NoNulText.QueryFilter());
      api.register(new ConstraintViolationMapper());
      api.register(new JsonProcessingExceptionMapper());
      api.register(ParamExceptionMapper.class);
      api.register(new WebApplicationExceptionMapper());
      api.register(new ServiceExceptionMapper());
      api.register(new CatchAllExceptionMapper());
      api.register(new SystemResource(build, database, airflow.isPresent()));
      api.register(new TrainingJobResource(trainingJobs));
      api.register(new DeploymentResource(deployments.lifecycle(), deployments.runs()));
      api.register(new PatchBodies());
      api.register(new KeyResource(userPsks));

      QueuedThreadPool threads = new QueuedThreadPool(200, 8);
      threads.setName("modelplane-http");
      Server jetty = new Server(threads);
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
      connector.setHost(config.bindAddress());
      connector.setPort(config.port());
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addServlet(new ServletHolder(new ServletContainer(api)), "/*");
      context.setErrorHandler(new JsonErrorHandler());
      jetty.setErrorHandler(new JsonErrorHandler());
      jetty.setHandler(new GracefulHandler(context));
      jetty.setStopTimeout(10_000);
      jetty.start();
      started = jetty;
      awaitMigration(migration);
      jetty.addConnector(connector); // started with the running server: now it accepts
      if (!connector.isStarted()) {
        connector.start();
      }
      outbox.ifPresent(OutboxWorker::start);
      int port = connector.getLocalPort();
      LOG.info("Modelplane listening on {}:{}", config.bindAddress(), port);
      return new ModelplaneServer(jetty, database, dagStore, outbox, port);
    } catch (Exception e) {
      if (started != null) {
        try {
          started.stop();
        } catch (Exception stopping) {
          e.addSuppressed(stopping);
        }
      }
      migration.exceptionally(failure -> null).join(); // never close the pool under Flyway
      if (dagStore != null) {
        dagStore.close();
      }
      database.close();
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
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

  private static DagStore dagStore(DagStoreConfig config) {
    if (config instanceof DagStoreConfig.S3 s3) {
      return new S3DagStore(s3);
    }
    return new LocalDagStore(((DagStoreConfig.Local) config).directory());
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
      jetty.stop();
      outbox.ifPresent(OutboxWorker::close);
    } catch (Exception e) {
      LOG.warn("Error while stopping the HTTP server: {}", e.toString());
    } finally {
      dagStore.close();
      database.close();
    }
    LOG.info("Modelplane stopped");
  }
}
