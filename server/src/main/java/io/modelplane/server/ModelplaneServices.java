package io.modelplane.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.api.JsonMapper;
import io.modelplane.server.api.auth.Authenticator;
import io.modelplane.server.api.auth.JwtAuthenticator;
import io.modelplane.server.api.auth.PlatformPskAuthenticator;
import io.modelplane.server.api.auth.UserPskAuthenticator;
import io.modelplane.server.config.DagStoreConfig;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.db.Database;
import io.modelplane.server.executor.AirflowExecutor;
import io.modelplane.server.executor.LocalExecutor;
import io.modelplane.server.executor.WorkExecutor;
import io.modelplane.server.integration.airflow.AirflowClient;
import io.modelplane.server.integration.airflow.HttpAirflowClient;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.integration.dagstore.LocalDagStore;
import io.modelplane.server.integration.dagstore.S3DagStore;
import io.modelplane.server.integration.mlflow.HttpMlflowClient;
import io.modelplane.server.integration.mlflow.ModelRegistry;
import io.modelplane.server.metrics.ExternalCallMetrics;
import io.modelplane.server.metrics.ServerMetrics;
import io.modelplane.server.metrics.TimedAirflowClient;
import io.modelplane.server.metrics.TimedModelRegistry;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxWorker;
import io.modelplane.server.reconcile.ReconcileLoop;
import io.modelplane.server.render.DagRenderer;
import io.modelplane.server.service.AccessPolicy;
import io.modelplane.server.service.DagRunIds;
import io.modelplane.server.service.TrainingJobService;
import io.modelplane.server.service.UserPskService;
import io.modelplane.server.service.deployment.Deployments;
import io.modelplane.server.service.events.EventFeed;
import io.modelplane.server.service.job.JobService;
import io.modelplane.server.service.webhooks.WebhookService;
import io.modelplane.server.service.webhooks.WebhookTargetPolicy;
import io.modelplane.server.webhooks.EventDispatcher;
import io.modelplane.server.webhooks.WebhookDeliveryWorker;
import io.modelplane.server.webhooks.WebhookWorkers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every part of the server below the HTTP layer, built from the configuration and wired explicitly:
 * integrations, services, authenticators, the executor the work goes to (Airflow or local child
 * processes, {@code MODELPLANE_EXECUTOR}) and the outbox worker that performs actions on it.
 */
record ModelplaneServices(
    Database database,
    DagStore dagStore,
    Optional<AirflowClient> airflow,
    TrainingJobService trainingJobs,
    Deployments deployments,
    JobService jobs,
    AccessPolicy policy,
    UserPskService userPsks,
    List<Authenticator> authenticators,
    Optional<OutboxWorker> outbox,
    Optional<ReconcileLoop> reconcile,
    Optional<LocalExecutor> localExecutor,
    String executorName,
    WebhookService webhooks,
    EventFeed eventFeed,
    WebhookWorkers webhookWorkers,
    DagRenderer renderer) {
  private static final Logger LOG = LoggerFactory.getLogger(ModelplaneServices.class);

  static ModelplaneServices build(ServerConfig config, Database database, Clock clock) {
    return build(config, database, clock, ServerMetrics.create(false));
  }

  /** As above, with the calls to Airflow and MLflow timed in {@code metrics}. */
  static ModelplaneServices build(
      ServerConfig config, Database database, Clock clock, ServerMetrics metrics) {
    ObjectMapper json = JsonMapper.create();
    DagStore dagStore = dagStore(config.dagStore());
    try {
      Optional<AirflowClient> airflow =
          config
              .airflow()
              .map(
                  airflowConfig ->
                      new TimedAirflowClient(
                          new HttpAirflowClient(airflowConfig, json),
                          new ExternalCallMetrics(metrics.registry(), "airflow")));
      Optional<LocalExecutor> local =
          config.executor().kind() == ExecutorConfig.Kind.LOCAL
              ? Optional.of(
                  new LocalExecutor(
                      database.jdbi(),
                      json,
                      config.executor(),
                      config.dataDir(),
                      config.platformPsk(),
                      clock))
              : Optional.empty();
      Optional<WorkExecutor> executor =
          switch (config.executor().kind()) {
            case AIRFLOW -> airflow.map(AirflowExecutor::new);
            case LOCAL -> local.map(WorkExecutor.class::cast);
            case NONE -> Optional.empty();
          };
      if (executor.isEmpty()) {
        LOG.warn("No executor (MODELPLANE_EXECUTOR=none): DAGs are stored, not run");
      } else if (local.isPresent()) {
        LOG.info(
            "Local executor: {} slot(s), runner {}, dag-helper {}",
            config.executor().slots(),
            config.executor().runnerJar(),
            config.executor().dagHelperJar());
      }
      DagRenderer renderer = new DagRenderer(config.templatesDir(), config.dagExecutor());
      DagRunIds runIds = DagRunIds.forExecutor(config.executor().kind());
      TrainingJobService trainingJobs =
          new TrainingJobService(
              database.jdbi(),
              dagStore,
              renderer,
              executor,
              config.publicUrl(),
              json,
              clock,
              runIds,
              config.database().writebackBatchMax());
      Optional<ModelRegistry> registry =
          config
              .mlflow()
              .map(
                  mlflow ->
                      new TimedModelRegistry(
                          new HttpMlflowClient(mlflow, json),
                          new ExternalCallMetrics(metrics.registry(), "mlflow")));
      if (registry.isEmpty()) {
        LOG.warn("No model registry configured (MODELPLANE_MLFLOW_URL): versions are not checked");
      }
      AccessPolicy policy = new AccessPolicy();
      Optional<Outbox> outboxTasks = executor.map(any -> new Outbox(json));
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
              policy,
              runIds,
              config.database().writebackBatchMax());
      UserPskService userPsks = new UserPskService(database.jdbi(), json, clock);
      JobService jobs =
          new JobService(
              database.jdbi(),
              dagStore,
              renderer,
              outboxTasks,
              config.publicUrl(),
              json,
              clock,
              config.executor().kind());
      Optional<OutboxWorker> outbox =
          executor.map(
              client ->
                  new OutboxWorker(
                      database.jdbi(),
                      client,
                      outboxTasks.orElseThrow(),
                      deployments.outboxListener(),
                      trainingJobs.outboxListener(),
                      jobs.outboxListener(),
                      clock,
                      new OutboxWorker.OutboxSettings(
                          Duration.ofMillis(config.outbox().pollMillis()),
                          Duration.ofMillis(config.outbox().initialBackoffMillis()),
                          config.outbox().maxAttempts(),
                          Duration.ofMinutes(2),
                          Duration.ofMillis(config.outbox().deleteRecheckMillis()))));
      // Only Airflow's runs can be reconciled against Airflow; maximum run times hold under
      // either executor.
      Optional<ReconcileLoop> reconcile =
          executor.map(
              any ->
                  new ReconcileLoop(
                      database.jdbi(),
                      airflow.filter(
                          client -> config.executor().kind() == ExecutorConfig.Kind.AIRFLOW),
                      trainingJobs,
                      deployments.runs(),
                      jobs,
                      clock,
                      config.reconcile()));
      WebhookTargetPolicy targets = new WebhookTargetPolicy(config.webhooks().allowedHosts());
      local.ifPresent(
          l ->
              l.reportFailuresTo(
                  new LocalRunFailures(database.jdbi(), trainingJobs, deployments, jobs)));
      return new ModelplaneServices(
          database,
          dagStore,
          airflow,
          trainingJobs,
          deployments,
          jobs,
          policy,
          userPsks,
          authenticators(config, userPsks, clock),
          outbox,
          reconcile,
          local,
          config.executor().kind().value(),
          new WebhookService(database.jdbi(), json, targets, clock),
          new EventFeed(database.jdbi()),
          new WebhookWorkers(
              new EventDispatcher(database.jdbi(), json, clock),
              new WebhookDeliveryWorker(database.jdbi(), targets, config.webhooks(), clock),
              config.webhooks().pollInterval()),
          renderer);
    } catch (RuntimeException e) {
      dagStore.close();
      throw e;
    }
  }

  /** Tried in order: the platform PSK (no I/O), user PSKs (mpk_…), JWTs (Bearer only). */
  private static List<Authenticator> authenticators(
      ServerConfig config, UserPskService userPsks, Clock clock) {
    List<Authenticator> authenticators = new ArrayList<>();
    authenticators.add(new PlatformPskAuthenticator(config.platformPsk()));
    authenticators.add(new UserPskAuthenticator(userPsks));
    config.oidc().ifPresent(oidc -> authenticators.add(new JwtAuthenticator(oidc, clock)));
    if (config.oidc().isEmpty()) {
      LOG.info("No OIDC issuer configured (MODELPLANE_OIDC_ISSUER): bearer JWTs are refused");
    }
    return List.copyOf(authenticators);
  }

  private static DagStore dagStore(DagStoreConfig config) {
    if (config instanceof DagStoreConfig.S3 s3) {
      return new S3DagStore(s3);
    }
    return new LocalDagStore(((DagStoreConfig.Local) config).directory());
  }
}
