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
import io.modelplane.server.service.job.JobService;
import io.modelplane.server.service.job.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds training jobs, deployment runs and data-engineering jobs ({@code /api/jobs}) whose worker
 * died: {@code queued} or {@code running} with no writeback for {@link ReconcileConfig#silence()},
 * it asks Airflow for their DAG run. A run Airflow reports finished ends here with a reason naming
 * the reconcile ("Airflow reports the run failed; no writeback arrived"); a run Airflow does not
 * know fails once it stayed silent for the grace period too (and the outbox has nothing left to
 * deliver for it, such as its trigger). A run Airflow reports queued or running is left alone. A
 * change is made only if nothing changed the job or run since it was read (a writeback that arrives
 * meanwhile wins); writebacks that come after the reconcile are judged by the services (agree: a
 * no-op, disagree: a 409).
 *
 * <p>It also fails what runs past its maximum run time ({@code max_run_time_seconds} of the
 * deployment, training job or job), counted from the run's trigger (or start), with the reason "ran
 * past its maximum run time of N s", and ends its DAG run (Airflow's DAG run marked failed, or the
 * local executor's process tree killed) through the outbox. Under the local executor only this part
 * runs (its children's failures are reported by the executor itself).
 */
public final class ReconcileLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  private static final int BATCH = 100;

  private final Jdbi jdbi;
  private final Optional<AirflowClient> airflow;
  private final TrainingJobService trainingJobs;
  private final DeploymentRuns deploymentRuns;
  private final JobService dataJobs;
  private final Clock clock;
  private final ReconcileConfig config;
  private final BackgroundLoop loop =
      new BackgroundLoop("modelplane-reconcile", "Reconcile", LOG, this::runAndLog);

  public ReconcileLoop(
      Jdbi jdbi,
      Optional<AirflowClient> airflow,
      TrainingJobService trainingJobs,
      DeploymentRuns deploymentRuns,
      JobService dataJobs,
      Clock clock,
      ReconcileConfig config) {
    this.jdbi = jdbi;
    this.airflow = airflow;
    this.trainingJobs = trainingJobs;
    this.deploymentRuns = deploymentRuns;
    this.dataJobs = dataJobs;
    this.clock = clock;
    this.config = config;
  }

  public void start() {
    loop.start(config.interval(), config.interval());
  }

  /** One pass over every overdue and every silent job and run; returns how many it ended. */
  public int runOnce() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant silentSince = now.minus(config.silence());
    Instant unknownSince = silentSince.minus(config.grace());
    int ended = endOverdue(now);
    if (airflow.isEmpty()) {
      return ended; // the local executor reports the failures of its own children
    }
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
                outcome.get().reason(),
                false)) {
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
                outcome.get().reason(),
                false)) {
          ended++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Reconcile of run {} failed: {}", run.runId(), SafeErrors.describe(e));
      }
    }
    for (ReconcileDao.SilentDataJob job :
        jdbi.withExtension(ReconcileDao.class, dao -> dao.silentDataJobs(silentSince, BATCH))) {
      try {
        Optional<Outcome> outcome =
            outcome(job.jobId(), job.dagId(), job.airflowDagRunId(), job.updatedAt(), unknownSince);
        if (outcome.isPresent()
            && dataJobs.endByReconcile(
                job.jobId(),
                JobStatus.of(job.status()),
                job.updatedAt(),
                outcome.get().succeeded() ? JobStatus.COMPLETED : JobStatus.FAILED,
                outcome.get().reason(),
                false)) {
          ended++;
        }
      } catch (RuntimeException e) {
        LOG.warn("Reconcile of job {} failed: {}", job.jobId(), SafeErrors.describe(e));
      }
    }
    return ended;
  }

  /** Fails every job and run past its maximum run time, and ends its DAG run. */
  private int endOverdue(Instant now) {
    int ended = 0;
    for (ReconcileDao.Overdue run :
        jdbi.withExtension(ReconcileDao.class, dao -> dao.unfinishedRunsWithMaximum(BATCH))) {
      if (run.isPast(now)
          && ends(
              run,
              () ->
                  deploymentRuns.endByReconcile(
                      run.deploymentId(),
                      run.id(),
                      RunStatus.of(run.status()),
                      run.updatedAt(),
                      RunStatus.FAILED,
                      pastMaximum(run),
                      true))) {
        ended++;
      }
    }
    for (ReconcileDao.Overdue job :
        jdbi.withExtension(
            ReconcileDao.class, dao -> dao.unfinishedTrainingJobsWithMaximum(BATCH))) {
      if (job.isPast(now)
          && ends(
              job,
              () ->
                  trainingJobs.endByReconcile(
                      job.id(),
                      TrainingJobStatus.of(job.status()),
                      job.updatedAt(),
                      TrainingJobStatus.FAILED,
                      pastMaximum(job),
                      true))) {
        ended++;
      }
    }
    for (ReconcileDao.Overdue job :
        jdbi.withExtension(ReconcileDao.class, dao -> dao.unfinishedDataJobsWithMaximum(BATCH))) {
      if (job.isPast(now)
          && ends(
              job,
              () ->
                  dataJobs.endByReconcile(
                      job.id(),
                      JobStatus.of(job.status()),
                      job.updatedAt(),
                      JobStatus.FAILED,
                      pastMaximum(job),
                      true))) {
        ended++;
      }
    }
    return ended;
  }

  private static String pastMaximum(ReconcileDao.Overdue overdue) {
    return "ran past its maximum run time of " + overdue.maxRunTimeSeconds() + " s";
  }

  private static boolean ends(ReconcileDao.Overdue overdue, BooleanSupplier end) {
    try {
      return end.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn(
          "Ending {} past its maximum run time failed: {}", overdue.id(), SafeErrors.describe(e));
      return false;
    }
  }

  /** How a silent job or run ends, by what Airflow says of its DAG run; empty to leave it. */
  private Optional<Outcome> outcome(
      UUID id, String dagId, String dagRunId, Instant updatedAt, Instant unknownSince) {
    Optional<String> state;
    try {
      state = airflow.orElseThrow().dagRunState(dagId, dagRunId);
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
