package io.modelplane.server.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.OutboxDao;
import io.modelplane.server.db.OutboxTaskRow;
import io.modelplane.server.integration.airflow.AirflowClient;
import io.modelplane.server.integration.airflow.AirflowException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the outbox's actions on Airflow: publish (unpause) a DAG, pause, unpause, delete it,
 * trigger a run, cancel a run. A task is retried with exponential backoff and jitter until it
 * succeeds, fails for good (Airflow refuses with a 4xx other than 404/429), or runs out of
 * attempts; then its effect on the deployment or run is recorded. Tasks of one deployment run in
 * order.
 */
public final class OutboxWorker implements AutoCloseable {
  public static final String PUBLISH_DAG = "publish_dag";
  public static final String PAUSE_DAG = "pause_dag";
  public static final String UNPAUSE_DAG = "unpause_dag";
  public static final String DELETE_DAG = "delete_dag";
  public static final String TRIGGER_RUN = "trigger_run";
  public static final String CANCEL_RUN = "cancel_run";
  public static final String TRIGGER_TRAINING = "trigger_training";
  public static final String CANCEL_TRAINING = "cancel_training";

  private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
  private static final Duration LEASE = Duration.ofMinutes(2);

  private final Jdbi jdbi;
  private final AirflowClient airflow;
  private final DeploymentService deployments;
  private final TrainingJobService trainingJobs;
  private final ObjectMapper json;
  private final Clock clock;
  private final OutboxSettings settings;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "modelplane-outbox");
            thread.setDaemon(true);
            return thread;
          });

  /** Poll interval, first backoff and attempt limit. */
  public record OutboxSettings(Duration pollInterval, Duration initialBackoff, int maxAttempts) {}

  public OutboxWorker(
      Jdbi jdbi,
      AirflowClient airflow,
      DeploymentService deployments,
      TrainingJobService trainingJobs,
      ObjectMapper json,
      Clock clock,
      OutboxSettings settings) {
    this.jdbi = jdbi;
    this.airflow = airflow;
    this.deployments = deployments;
    this.trainingJobs = trainingJobs;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
  }

  public void start() {
    long poll = settings.pollInterval().toMillis();
    executor.scheduleWithFixedDelay(this::drainSafely, poll, poll, TimeUnit.MILLISECONDS);
  }

  /** Performs every due task once; returns how many were attempted. */
  public int drain() {
    List<OutboxTaskRow> due = jdbi.withExtension(OutboxDao.class, dao -> dao.due(now(), 50));
    int attempted = 0;
    for (OutboxTaskRow task : due) {
      Instant leaseUntil = now().plus(LEASE);
      int claimed =
          jdbi.withExtension(
              OutboxDao.class, dao -> dao.claim(task.taskId(), task.nextAttemptAt(), leaseUntil));
      if (claimed == 1) {
        process(task);
        attempted++;
      }
    }
    return attempted;
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      LOG.warn("Outbox pass failed, will retry: {}", SafeErrors.describe(e));
    }
  }

  private void process(OutboxTaskRow task) {
    try {
      perform(task);
      finish(task, "done", null);
      LOG.info("Outbox task {} ({}) done", task.taskId(), task.kind());
    } catch (AirflowException e) {
      int attempts = task.attempts() + 1;
      boolean permanent = isPermanent(e);
      if (permanent || attempts >= settings.maxAttempts()) {
        finish(task, "failed", e.getMessage());
        onFailure(task, e.getMessage());
        LOG.warn(
            "Outbox task {} ({}) failed for good after {} attempts: {}",
            task.taskId(),
            task.kind(),
            attempts,
            e.getMessage());
      } else {
        Instant next = now().plus(backoff(attempts));
        jdbi.useExtension(
            OutboxDao.class, dao -> dao.retryLater(task.taskId(), e.getMessage(), next));
        LOG.info(
            "Outbox task {} ({}) attempt {} failed, retrying at {}: {}",
            task.taskId(),
            task.kind(),
            attempts,
            next,
            e.getMessage());
      }
    }
  }

  private void perform(OutboxTaskRow task) {
    if (task.jobId() != null) {
      performForTrainingJob(task);
      return;
    }
    DeploymentRow deployment = deployments.findRow(task.deploymentId());
    String dagId = deployment.dagId();
    switch (task.kind()) {
      case PUBLISH_DAG -> {
        if (DeploymentStatus.of(deployment.status()) == DeploymentStatus.DEPLOYING) {
          airflow.setPaused(dagId, false);
          deployments.markPublished(deployment.deploymentId());
        }
      }
      case PAUSE_DAG -> airflow.setPaused(dagId, true);
      case UNPAUSE_DAG -> airflow.setPaused(dagId, false);
      case DELETE_DAG -> airflow.deleteDag(dagId);
      case TRIGGER_RUN -> {
        boolean stillQueued =
            jdbi.withExtension(DeploymentRunDao.class, dao -> dao.find(task.runId()))
                .map(run -> RunStatus.of(run.status()) == RunStatus.QUEUED)
                .orElse(false);
        if (stillQueued) {
          Map<String, Object> payload = payload(task);
          @SuppressWarnings("unchecked")
          Map<String, Object> conf = (Map<String, Object>) payload.get("conf");
          airflow.triggerDagRun(dagId, (String) payload.get("dag_run_id"), conf);
        }
      }
      case CANCEL_RUN -> airflow.markDagRunFailed(dagId, (String) payload(task).get("dag_run_id"));
      default -> throw new IllegalStateException("unknown outbox task kind " + task.kind());
    }
  }

  private void performForTrainingJob(OutboxTaskRow task) {
    Map<String, Object> payload = payload(task);
    String dagId = (String) payload.get("dag_id");
    String dagRunId = (String) payload.get("dag_run_id");
    switch (task.kind()) {
      case TRIGGER_TRAINING -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> conf = (Map<String, Object>) payload.get("conf");
        airflow.triggerDagRun(dagId, dagRunId, conf);
      }
      case CANCEL_TRAINING -> airflow.markDagRunFailed(dagId, dagRunId);
      default -> throw new IllegalStateException("unknown outbox task kind " + task.kind());
    }
  }

  private void onFailure(OutboxTaskRow task, String error) {
    switch (task.kind()) {
      case TRIGGER_TRAINING ->
          trainingJobs.markTriggerFailed(
              task.jobId(), (String) payload(task).get("dag_run_id"), error);
      case PUBLISH_DAG -> deployments.markPublishFailed(task.deploymentId(), error);
      case TRIGGER_RUN -> deployments.markRunTriggerFailed(task.runId(), error);
      default -> {
        // pausing, deleting or cancelling in Airflow failed: the task row keeps the error
      }
    }
  }

  /** Airflow said no for a reason a retry cannot fix. 404 may be a DAG not parsed yet. */
  private static boolean isPermanent(AirflowException e) {
    int status = e.status();
    return status >= 400 && status < 500 && status != 404 && status != 408 && status != 429;
  }

  private Duration backoff(int attempts) {
    long base = settings.initialBackoff().toMillis() << Math.min(attempts - 1, 10);
    long capped = Math.min(base, 60_000);
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private void finish(OutboxTaskRow task, String state, String error) {
    jdbi.useExtension(OutboxDao.class, dao -> dao.finish(task.taskId(), state, error, now()));
  }

  private Map<String, Object> payload(OutboxTaskRow task) {
    try {
      return json.readValue(task.payload(), new TypeReference<>() {});
    } catch (IOException e) {
      throw new IllegalStateException("corrupt outbox payload", e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
