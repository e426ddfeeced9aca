package io.modelplane.server.outbox;

import io.modelplane.server.background.BackgroundLoop;
import io.modelplane.server.executor.WorkExecutor;
import io.modelplane.server.integration.airflow.AirflowException;
import io.modelplane.server.service.ErrorMessages;
import io.modelplane.server.service.SafeErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the outbox's tasks on the executor, Airflow or local (see {@link OutboxTaskKind}). Every
 * attempt counts, from the moment it is claimed: a failure of any kind retries with exponential
 * backoff and jitter, a refusal that a retry cannot fix ends the task at once, and a task that runs
 * out of attempts ends too; either way its {@link OutboxListener} writes the reason on what the
 * task serves. A claim is a lease: a worker that dies mid-task leaves the task to be reclaimed when
 * the lease expires, and the expired attempt counts. Tasks of one job or deployment run in order.
 */
public final class OutboxWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
  static final String LEASED = "leased: attempt ";

  private final Jdbi jdbi;
  private final WorkExecutor airflow;
  private final Outbox outbox;
  private final OutboxListener deployments;
  private final OutboxListener trainingJobs;
  private final OutboxListener dataJobs;
  private final Clock clock;
  private final OutboxSettings settings;
  private final OutboxBackoff backoff;
  private final BackgroundLoop loop;

  /**
   * Poll interval, first backoff, attempt limit, how long a claim lasts, and after how long a
   * deleted DAG is deleted once more.
   */
  public record OutboxSettings(
      Duration pollInterval,
      Duration initialBackoff,
      int maxAttempts,
      Duration lease,
      Duration deleteRecheck) {}

  public OutboxWorker(
      Jdbi jdbi,
      WorkExecutor airflow,
      Outbox outbox,
      OutboxListener deployments,
      OutboxListener trainingJobs,
      Clock clock,
      OutboxSettings settings) {
    this(jdbi, airflow, outbox, deployments, trainingJobs, (task, reason) -> {}, clock, settings);
  }

  /** With a listener for the tasks of data-engineering jobs ({@code /api/jobs}). */
  public OutboxWorker(
      Jdbi jdbi,
      WorkExecutor airflow,
      Outbox outbox,
      OutboxListener deployments,
      OutboxListener trainingJobs,
      OutboxListener dataJobs,
      Clock clock,
      OutboxSettings settings) {
    this.dataJobs = dataJobs;
    this.jdbi = jdbi;
    this.airflow = airflow;
    this.outbox = outbox;
    this.deployments = deployments;
    this.trainingJobs = trainingJobs;
    this.clock = clock;
    this.settings = settings;
    this.backoff = new OutboxBackoff(settings.initialBackoff());
    this.loop = new BackgroundLoop("modelplane-outbox", "Outbox", LOG, this::drain);
  }

  public void start() {
    loop.start(settings.pollInterval(), settings.pollInterval());
  }

  /** Performs every due task once; returns how many were attempted. */
  public int drain() {
    List<OutboxTaskRow> due = jdbi.withHandle(handle -> OutboxDao.due(handle, now(), 50));
    int attempted = 0;
    for (OutboxTaskRow row : due) {
      if (isLeaseExpired(row) && row.attempts() >= settings.maxAttempts()) {
        abandon(row);
        continue;
      }
      int attempt = row.attempts() + 1;
      Instant leaseUntil = now().plus(settings.lease());
      int claimed =
          jdbi.withExtension(
              OutboxDao.class,
              dao -> dao.claim(row.taskId(), row.nextAttemptAt(), leaseUntil, LEASED + attempt));
      if (claimed == 1) {
        process(row, attempt);
        attempted++;
      }
    }
    return attempted;
  }

  private void process(OutboxTaskRow row, int attempt) {
    if (isLeaseExpired(row)) {
      LOG.warn(
          "Outbox task {} ({}): the lease of its last attempt expired", row.taskId(), row.kind());
    }
    OutboxTaskKind kind;
    try {
      kind = OutboxTaskKind.of(row.kind());
    } catch (RuntimeException e) {
      fail(row, null, "unknown task kind", attempt);
      return;
    }
    OutboxTask task;
    try {
      task = task(row, kind, outbox.deserialize(kind, row.payload(), row.deploymentId()), attempt);
    } catch (RuntimeException e) {
      // No retry can make it readable: it ends now, and what it serves learns why.
      fail(
          row,
          task(row, kind, null, attempt),
          "unreadable task: " + SafeErrors.describe(e),
          attempt);
      return;
    }
    OutboxListener listener = listenerOf(task);
    try {
      if (listener.stillWanted(task)) {
        perform(task);
        listener.done(task);
      }
      finish(row, "done", null);
      LOG.info("Outbox task {} ({}) done", row.taskId(), row.kind());
    } catch (RuntimeException e) {
      String reason = describe(e);
      if (isPermanent(task.kind(), e) || attempt >= settings.maxAttempts()) {
        fail(row, task, reason, attempt);
      } else {
        Instant next = now().plus(backoff.afterFailed(attempt));
        jdbi.useExtension(OutboxDao.class, dao -> dao.retryLater(row.taskId(), reason, next));
        LOG.info(
            "Outbox task {} ({}) attempt {} failed, retrying at {}: {}",
            row.taskId(),
            row.kind(),
            attempt,
            next,
            reason);
      }
    }
  }

  /** Due while it says it is leased: the worker of its last attempt never finished it. */
  private static boolean isLeaseExpired(OutboxTaskRow row) {
    return row.lastError() != null && row.lastError().startsWith(LEASED);
  }

  /** The last allowed attempt's lease expired: the task ends without another attempt. */
  private void abandon(OutboxTaskRow row) {
    String reason = "the worker's lease expired on attempt " + row.attempts();
    int ended =
        jdbi.withExtension(
            OutboxDao.class, dao -> dao.abandon(row.taskId(), row.nextAttemptAt(), reason, now()));
    if (ended == 0) {
      return; // another worker took it
    }
    LOG.warn("Outbox task {} ({}) failed for good: {}", row.taskId(), row.kind(), reason);
    OutboxTaskKind kind;
    OutboxPayload payload;
    try {
      kind = OutboxTaskKind.of(row.kind());
    } catch (RuntimeException e) {
      return;
    }
    try {
      payload = outbox.deserialize(kind, row.payload(), row.deploymentId());
    } catch (RuntimeException e) {
      payload = null;
    }
    OutboxTask task = task(row, kind, payload, row.attempts());
    listenerOf(task).failed(task, reason);
  }

  private static OutboxTask task(
      OutboxTaskRow row, OutboxTaskKind kind, OutboxPayload payload, int attempt) {
    return new OutboxTask(
        row.taskId(), kind, row.jobId(), row.deploymentId(), row.runId(), payload, attempt);
  }

  /** Ends a task for good and tells its listener (when the task could be read at all). */
  private void fail(OutboxTaskRow row, OutboxTask task, String reason, int attempts) {
    finish(row, "failed", reason);
    LOG.warn(
        "Outbox task {} ({}) failed for good after {} attempts: {}",
        row.taskId(),
        row.kind(),
        attempts,
        reason);
    if (task != null) {
      listenerOf(task).failed(task, reason);
    }
  }

  private OutboxListener listenerOf(OutboxTask task) {
    if (task.kind().servesDataJob()) {
      return dataJobs;
    }
    return task.jobId() != null ? trainingJobs : deployments;
  }

  private void perform(OutboxTask task) {
    OutboxPayload payload = task.payload();
    if (payload instanceof OutboxPayload.Dag dag) {
      airflow.setPaused(dag.dagId(), task.kind() == OutboxTaskKind.PAUSE_DAG);
    } else if (payload instanceof OutboxPayload.DeleteDag delete) {
      deleteDag(task, delete);
    } else if (payload instanceof OutboxPayload.DagRun run) {
      airflow.markDagRunFailed(run.dagId(), run.dagRunId());
    } else if (payload instanceof OutboxPayload.DagRuns runs) {
      for (String dagRunId : runs.dagRunIds()) {
        airflow.markDagRunFailed(runs.dagId(), dagRunId);
      }
    } else if (payload instanceof OutboxPayload.Trigger trigger) {
      airflow.triggerDagRun(trigger.dagId(), trigger.dagRunId(), trigger.conf());
    }
  }

  /**
   * Pauses, then deletes a DAG. Airflow re-creates a deleted DAG when its file is still in
   * Airflow's copy of the DAG folder (a late sync): the copy comes back paused (the template sets
   * {@code is_paused_upon_creation}), and the recheck deletes it again once the folder caught up.
   */
  private void deleteDag(OutboxTask task, OutboxPayload.DeleteDag delete) {
    try {
      airflow.setPaused(delete.dagId(), true);
    } catch (AirflowException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    airflow.deleteDag(delete.dagId());
    if (delete.recheck()) {
      Instant now = now();
      jdbi.useHandle(
          handle ->
              outbox.appendAgain(
                  handle,
                  task,
                  new OutboxPayload.DeleteDag(delete.dagId(), false),
                  now,
                  now.plus(settings.deleteRecheck())));
    }
  }

  /**
   * Airflow said no for a reason a retry cannot fix. 404 may be a DAG not parsed yet; 409 on a
   * delete means task instances are still running (they stop after the runs were failed).
   */
  private static boolean isPermanent(OutboxTaskKind kind, RuntimeException e) {
    if (!(e instanceof AirflowException airflowError)) {
      return false;
    }
    int status = airflowError.status();
    if (status == 409
        && (kind == OutboxTaskKind.DELETE_DAG
            || kind == OutboxTaskKind.DELETE_TRAINING_DAG
            || kind == OutboxTaskKind.DELETE_JOB_DAG)) {
      return false;
    }
    return status >= 400 && status < 500 && status != 404 && status != 408 && status != 429;
  }

  private static String describe(RuntimeException e) {
    String reason = e instanceof AirflowException ? e.getMessage() : SafeErrors.describe(e);
    return ErrorMessages.truncate(reason);
  }

  private void finish(OutboxTaskRow row, String state, String error) {
    jdbi.useExtension(OutboxDao.class, dao -> dao.finish(row.taskId(), state, error, now()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public void close() {
    loop.close();
  }
}
