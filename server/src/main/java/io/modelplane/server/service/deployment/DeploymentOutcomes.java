package io.modelplane.server.service.deployment;

import static io.modelplane.server.service.DeploymentStatus.ACTIVE;
import static io.modelplane.server.service.DeploymentStatus.DEPLOYING;
import static io.modelplane.server.service.DeploymentStatus.FAILED;

import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.DeploymentRunRow;
import io.modelplane.server.outbox.OutboxListener;
import io.modelplane.server.outbox.OutboxTask;
import io.modelplane.server.outbox.OutboxTaskKind;
import io.modelplane.server.service.DeploymentStatus;
import io.modelplane.server.service.ErrorMessages;
import io.modelplane.server.service.RunStatus;
import java.time.Instant;

/**
 * What the outbox's tasks for deployments did: a published DAG makes the deployment active, a
 * publish that failed for good makes it failed, a trigger Airflow never accepted fails its run, and
 * any other task that failed for good leaves its reason on the deployment (with an event). Each
 * outcome is applied to the row as locked.
 */
final class DeploymentOutcomes implements OutboxListener {
  private static final String ACTOR = "outbox-worker";

  private final DeploymentRows rows;
  private final DeploymentTransitions transitions;

  DeploymentOutcomes(DeploymentRows rows, DeploymentTransitions transitions) {
    this.rows = rows;
    this.transitions = transitions;
  }

  @Override
  public boolean stillWanted(OutboxTask task) {
    return switch (task.kind()) {
      case PUBLISH_DAG ->
          rows.find(task.deploymentId())
              .map(row -> DeploymentStatus.of(row.status()) == DEPLOYING)
              .orElse(false);
      case TRIGGER_RUN ->
          rows.findRun(task.runId())
              .map(run -> RunStatus.of(run.status()) == RunStatus.QUEUED)
              .orElse(false);
      default -> true;
    };
  }

  @Override
  public void done(OutboxTask task) {
    if (task.kind() == OutboxTaskKind.PUBLISH_DAG) {
      moveIfDeploying(task, ACTIVE, "unpaused in Airflow", null);
    }
  }

  @Override
  public void failed(OutboxTask task, String reason) {
    switch (task.kind()) {
      case PUBLISH_DAG -> moveIfDeploying(task, FAILED, "publishing failed", reason);
      case TRIGGER_RUN -> failQueuedRun(task, reason);
      default -> recordFailure(task, reason);
    }
  }

  private void moveIfDeploying(
      OutboxTask task, DeploymentStatus to, String why, String errorMessage) {
    rows.jdbi()
        .useTransaction(
            handle -> {
              DeploymentRow locked = rows.lock(handle, task.deploymentId()).orElse(null);
              if (locked == null || DeploymentStatus.of(locked.status()) != DEPLOYING) {
                return; // archived or changed meanwhile
              }
              transitions.move(
                  handle.attach(DeploymentDao.class),
                  locked,
                  to,
                  ACTOR,
                  why,
                  errorMessage,
                  transitions.now());
            });
  }

  private void failQueuedRun(OutboxTask task, String reason) {
    rows.jdbi()
        .useTransaction(
            handle -> {
              if (rows.lock(handle, task.deploymentId()).isEmpty()) {
                return;
              }
              DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
              DeploymentRunRow run = runs.find(task.runId()).orElse(null);
              if (run == null || RunStatus.of(run.status()) != RunStatus.QUEUED) {
                return; // the DAG reported meanwhile: Airflow did run it
              }
              transitions.moveRun(
                  runs,
                  run,
                  RunStatus.FAILED,
                  null,
                  "Airflow did not start the run: " + reason,
                  transitions.now());
            });
  }

  private void recordFailure(OutboxTask task, String reason) {
    String message =
        ErrorMessages.truncate("Airflow did not " + describe(task.kind()) + ": " + reason);
    rows.jdbi()
        .useTransaction(
            handle -> {
              DeploymentRow locked = rows.lock(handle, task.deploymentId()).orElse(null);
              if (locked == null) {
                return;
              }
              DeploymentDao dao = handle.attach(DeploymentDao.class);
              Instant at = transitions.now();
              dao.updateErrorMessage(locked.deploymentId(), message, at);
              transitions.record(dao, locked.deploymentId(), "outbox", ACTOR, message, at);
            });
  }

  private static String describe(OutboxTaskKind kind) {
    return switch (kind) {
      case PAUSE_DAG -> "pause the DAG";
      case UNPAUSE_DAG -> "unpause the DAG";
      case STOP_DAG_RUNS -> "stop the DAG's runs";
      case DELETE_DAG -> "delete the DAG";
      case CANCEL_RUN -> "cancel the run";
      default -> "do " + kind.value();
    };
  }
}
