package io.modelplane.server.reconcile;

import io.modelplane.server.background.BackgroundLoop;
import io.modelplane.server.config.ReconcileConfig;
import io.modelplane.server.db.ReconcileDao;
import io.modelplane.server.integration.airflow.AirflowClient;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.SafeErrors;
import io.modelplane.server.service.TrainingJobService;
import io.modelplane.server.service.TrainingJobStatus;
import io.modelplane.server.service.deployment.DeploymentRuns;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds training jobs and deployment runs whose worker died: {@code queued} or {@code running} with
 * no writeback for {@link ReconcileConfig#silence()}, it asks Airflow for their DAG run. A run
 * Airflow reports finished ends here with a reason naming the reconcile ("Airflow reports the run
 * failed; no writeback arrived"); a run Airflow does not know fails once it stayed silent for the
 * grace period too (and the outbox has nothing left to deliver for it, such as its trigger). A run
 * Airflow reports queued or running is left alone. A change is made only if nothing changed the job
 * or run since it was read (a writeback that arrives meanwhile wins); writebacks that come after
 * the reconcile are judged by the services (agree: a no-op, disagree: a 409).
 */
public final class ReconcileLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  private static final int BATCH = 100;

  private final Jdbi jdbi;
  private final AirflowClient airflow;
  private final TrainingJobService trainingJobs;
  private final DeploymentRuns deploymentRuns;
  private final Clock clock;
  private final ReconcileConfig config;
  private final BackgroundLoop loop =
      new BackgroundLoop("modelplane-reconcile", "Reconcile", LOG, this::runAndLog);

  public ReconcileLoop(
      Jdbi jdbi,
      AirflowClient airflow,
      TrainingJobService trainingJobs,
      DeploymentRuns deploymentRuns,
      Clock clock,
      ReconcileConfig config) {
    this.jdbi = jdbi;
    this.airflow = airflow;
    this.trainingJobs = trainingJobs;
    this.deploymentRuns = deploymentRuns;
    this.clock = clock;
    this.config = config;
  }

  public void start() {
    loop.start(config.interval(), config.interval());
  }

  /** One pass over every silent job and run; returns how many it ended. */
  public int runOnce() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant silentSince = now.minus(config.silence());
    Instant unknownSince = silentSince.minus(config.grace());
    int ended = 0;
    for (ReconcileDao.SilentJob job :
        jdbi.withExtension(ReconcileDao.class, dao -> dao.silentJobs(silentSince, BATCH))) {
      try {
        Optional<Outcome> outcome =
            outcome(
                job.jobId(),
                job.airflowDagId(),
                job.airflowDagRunId(),
                job.updatedAt(),
                unknownSince);
        if (outcome.isPresent()
            && trainingJobs.endByReconcile(
                job.jobId(),
                TrainingJobStatus.of(job.status()),
                job.updatedAt(),
                outcome.get().succeeded() ? TrainingJobStatus.COMPLETE : TrainingJobStatus.FAILED,
                outcome.get().reason())) {
          ended++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Reconcile of training job {} failed: {}", job.jobId(), SafeErrors.describe(e));
      }
    }
    for (ReconcileDao.SilentRun run :
        jdbi.withExtension(ReconcileDao.class, dao -> dao.silentRuns(silentSince, BATCH))) {
      try {
        Optional<Outcome> outcome =
            outcome(run.runId(), run.dagId(), run.airflowRunId(), run.updatedAt(), unknownSince);
        if (outcome.isPresent()
            && deploymentRuns.endByReconcile(
                run.deploymentId(),
                run.runId(),
                RunStatus.of(run.status()),
                run.updatedAt(),
                outcome.get().succeeded() ? RunStatus.SUCCEEDED : RunStatus.FAILED,
                outcome.get().reason())) {
          ended++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Reconcile of run {} failed: {}", run.runId(), SafeErrors.describe(e));
      }
    }
    return ended;
  }

  /** How a silent job or run ends, by what Airflow says of its DAG run; empty to leave it. */
  private Optional<Outcome> outcome(
      UUID id, String dagId, String dagRunId, Instant updatedAt, Instant unknownSince) {
    Optional<String> state;
    try {
      state = airflow.dagRunState(dagId, dagRunId);
    } catch (RuntimeException e) {
      LOG.info(
          "Reconcile: cannot ask Airflow about DAG run {}: {}", dagRunId, SafeErrors.describe(e));
      return Optional.empty();
    }
    if (state.isPresent()) {
      return switch (state.get()) {
        case "success" ->
            Optional.of(
                new Outcome(true, "Airflow reports the run succeeded; no writeback arrived"));
        case "failed" ->
            Optional.of(new Outcome(false, "Airflow reports the run failed; no writeback arrived"));
        default -> Optional.empty();
      };
    }
    boolean pastGrace = updatedAt.isBefore(unknownSince);
    boolean nothingPending =
        jdbi.withExtension(ReconcileDao.class, dao -> dao.pendingTasks(id)) == 0;
    if (pastGrace && nothingPending) {
      return Optional.of(
          new Outcome(
              false, "Airflow does not know DAG run " + dagRunId + "; no writeback arrived"));
    }
    return Optional.empty();
  }

  private record Outcome(boolean succeeded, String reason) {}

  private void runAndLog() {
    int ended = runOnce();
    if (ended > 0) {
      LOG.info("Reconcile: ended {} silent jobs and runs", ended);
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
