package io.modelplane.server.service.deployment;

import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.DeploymentRunRow;
import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.DeploymentStatus;
import io.modelplane.server.service.ErrorMessages;
import io.modelplane.server.service.RunCallback;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.events.EventLog;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place where a deployment or a run changes status: the move is checked against {@link
 * DeploymentStateMachine}, computed from the row as locked by the caller's transaction, written as
 * a targeted update, and (for deployments) recorded as an event in the same transaction; every
 * change also appends its event to the feed ({@link EventLog}, one insert). One injected clock
 * gives the time; the row's {@code updated_at} is the event's {@code created_at}.
 */
public final class DeploymentTransitions {
  private final Clock clock;

  public DeploymentTransitions(Clock clock) {
    this.clock = clock;
  }

  /** The time of a change (microseconds, what both databases store). */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Moves a locked deployment to {@code to}, with an event. {@code errorMessage} is kept on the row
   * for {@code failed}; a move to deploying or active clears it.
   *
   * @throws ConflictException when the state machine does not allow the move
   */
  void move(
      DeploymentDao dao,
      DeploymentRow locked,
      DeploymentStatus to,
      String actor,
      String reason,
      String errorMessage,
      Instant at) {
    DeploymentStatus from = DeploymentStatus.of(locked.status());
    if (!DeploymentStateMachine.canMove(from, to)) {
      throw new ConflictException(
          "Deployment "
              + locked.name()
              + " is "
              + from.value()
              + ": it cannot move to "
              + to.value());
    }
    String error =
        switch (to) {
          case FAILED -> ErrorMessages.truncate(errorMessage);
          case DEPLOYING, ACTIVE -> null;
          default -> locked.errorMessage();
        };
    Instant stoppedAt =
        switch (to) {
          case STOPPED -> at;
          case ACTIVE -> null;
          default -> locked.stoppedAt();
        };
    dao.updateStatus(locked.deploymentId(), to.value(), error, stoppedAt, at);
    String why =
        errorMessage == null ? reason : reason + ": " + ErrorMessages.truncate(errorMessage);
    dao.insertEvent(locked.deploymentId(), "status", from.value(), to.value(), actor, why, at);
    EventLog.deploymentStatusChanged(
        dao.getHandle(),
        locked.deploymentId(),
        locked.modelName(),
        locked.name(),
        from.value(),
        to.value(),
        actor,
        why,
        at);
  }

  /** Whether a locked deployment may move to {@code to}. */
  boolean canMove(DeploymentRow locked, DeploymentStatus to) {
    return DeploymentStateMachine.canMove(DeploymentStatus.of(locked.status()), to);
  }

  /** An event that is not a status change (roles, re-rendering, model version). */
  void record(
      DeploymentDao dao, UUID deploymentId, String kind, String actor, String reason, Instant at) {
    dao.insertEvent(deploymentId, kind, null, null, actor, ErrorMessages.truncate(reason), at);
  }

  /**
   * Moves a run (its deployment locked by the caller) to {@code to}: {@code started_at} on its
   * first {@code running}, {@code finished_at} on a terminal status.
   *
   * @param rowsScored the new count, or null to keep it
   * @throws ConflictException when the state machine does not allow the move
   */
  void moveRun(
      DeploymentRunDao runs,
      DeploymentRunRow run,
      RunStatus to,
      Long rowsScored,
      String errorMessage,
      Instant at) {
    RunStatus from = RunStatus.of(run.status());
    if (!DeploymentStateMachine.canRunMove(from, to)) {
      throw illegalRunMove(run.airflowRunId(), from, to);
    }
    Long rows = rowsScored != null ? rowsScored : run.rowsScored();
    String error = to == RunStatus.FAILED ? ErrorMessages.truncate(errorMessage) : null;
    runs.updateStatus(
        run.runId(),
        to.value(),
        rows,
        error,
        run.startedAt() == null && to == RunStatus.RUNNING ? at : run.startedAt(),
        to.isTerminal() ? at : null,
        at);
    EventLog.deploymentRunStatusChanged(
        runs.getHandle(),
        run.deploymentId(),
        run.runId(),
        run.airflowRunId(),
        from.value(),
        to.value(),
        rows,
        error,
        at);
  }

  /**
   * A run callback on PostgreSQL in one statement ({@link DeploymentRunDao#callbackInOneStatement},
   * or with others: {@link DeploymentRunDao#callbackBatch}): what to write, now, for the outcomes
   * of {@link #moveRun} after the run's first sight, decided in SQL from the sources {@link
   * DeploymentStateMachine} allows. With {@code authorizedOn} it only applies while the
   * deployment's row is the one the caller was authorized on.
   */
  DeploymentRunDao.CallbackItem callbackItem(
      String modelName,
      String name,
      Optional<DeploymentRunDao.AuthorizedOn> authorizedOn,
      RunCallback callback) {
    Instant at = now();
    RunStatus to = callback.status();
    return new DeploymentRunDao.CallbackItem(
        modelName,
        name,
        authorizedOn,
        callback.airflowRunId(),
        RUN_SOURCE_VALUES.get(to),
        to.value(),
        callback.rowsScored(),
        to == RunStatus.FAILED ? ErrorMessages.truncate(callback.errorMessage()) : null,
        to == RunStatus.RUNNING ? at : null,
        to.isTerminal() ? at : null,
        UUID.randomUUID(),
        at);
  }

  /**
   * What the statement of a {@link #callbackItem} did, as the callback's answer: the run, unless
   * nothing was written because the move is refused.
   *
   * @throws ConflictException when the state machine does not allow the move, or the reconcile loop
   *     ended the run with another status
   */
  static DeploymentRunDao.Callback checkCallback(DeploymentRunDao.Callback result, RunStatus to) {
    DeploymentRunRow run = result.row();
    if (result.outcome() == DeploymentRunDao.CallbackOutcome.UNCHANGED) {
      RunStatus current = RunStatus.of(run.status());
      if (result.reconciled() && current != to) {
        throw lateCallbackAfterReconcile(run, to);
      }
      if (current != to) {
        throw illegalRunMove(run.airflowRunId(), current, to);
      }
    }
    return result;
  }

  /** The statuses a run may move to each status from, as the column's values (made once). */
  private static final Map<RunStatus, List<String>> RUN_SOURCE_VALUES = runSourceValues();

  private static Map<RunStatus, List<String>> runSourceValues() {
    Map<RunStatus, List<String>> values = new EnumMap<>(RunStatus.class);
    for (RunStatus to : RunStatus.values()) {
      values.put(
          to,
          DeploymentStateMachine.runSources(to).stream().map(RunStatus::value).sorted().toList());
    }
    return values;
  }

  static ConflictException illegalRunMove(String airflowRunId, RunStatus from, RunStatus to) {
    return new ConflictException(
        "Run " + airflowRunId + " is " + from.value() + ": it cannot move to " + to.value());
  }

  /** A callback that disagrees with the status the reconcile loop ended its run with. */
  static ConflictException lateCallbackAfterReconcile(DeploymentRunRow run, RunStatus reported) {
    return new ConflictException(
        "Run "
            + run.airflowRunId()
            + " was ended as "
            + run.status()
            + " by the reconcile loop"
            + (run.errorMessage() == null ? "" : " (" + run.errorMessage() + ")")
            + "; this callback ("
            + reported.value()
            + ") came after it");
  }

  static boolean isTriggerable(DeploymentStatus status) {
    return DeploymentStateMachine.isTriggerable(status);
  }
}
