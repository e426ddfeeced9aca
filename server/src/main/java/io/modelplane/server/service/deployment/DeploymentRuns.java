package io.modelplane.server.service.deployment;

import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.DeploymentRunRow;
import io.modelplane.server.db.Keyset;
import io.modelplane.server.db.PlainJdbc;
import io.modelplane.server.db.RunListFilter;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxPayload;
import io.modelplane.server.outbox.OutboxTaskKind;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.DagRunIds;
import io.modelplane.server.service.DeploymentRun;
import io.modelplane.server.service.DeploymentStatus;
import io.modelplane.server.service.ErrorMessages;
import io.modelplane.server.service.GroupCommit;
import io.modelplane.server.service.Hashes;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.PageTokens;
import io.modelplane.server.service.RunCallback;
import io.modelplane.server.service.RunPageTokens;
import io.modelplane.server.service.RunRequest;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.TableRef;
import io.modelplane.server.service.UnavailableException;
import io.modelplane.server.service.events.EventLog;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs of batch deployments: manual runs (trigger, with overrides and an {@code Idempotency-Key}),
 * the DAG's run callbacks, cancellation, and reading. Each change locks the deployment, decides the
 * caller's right and the deployment's status on the row as locked, and moves runs through {@link
 * DeploymentTransitions}.
 */
public final class DeploymentRuns {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentRuns.class);
  static final String NO_ORCHESTRATOR =
      "No orchestrator is configured (MODELPLANE_EXECUTOR=none): runs cannot be" + " triggered.";

  private final DeploymentRows rows;
  private final ScoringDags dags;
  private final ModelResolver models;
  private final DeploymentTransitions transitions;
  private final Optional<Outbox> outbox;
  private final DagRunIds runIds;
  private final Optional<
          GroupCommit<DeploymentRunDao.CallbackItem, Optional<DeploymentRunDao.Callback>>>
      callbacks;

  /** The longest a callback waits for its batch to fill while another batch of callbacks runs. */
  static final Duration CALLBACK_BATCH_WAIT = Duration.ofMillis(1);

  /**
   * @param callbackBatchMax on PostgreSQL, how many concurrent run callbacks are committed together
   *     at most ({@link GroupCommit}); 1 runs each in a statement of its own
   */
  DeploymentRuns(
      DeploymentRows rows,
      ScoringDags dags,
      ModelResolver models,
      DeploymentTransitions transitions,
      Optional<Outbox> outbox,
      DagRunIds runIds,
      int callbackBatchMax) {
    this.callbacks =
        callbackBatchMax < 2
            ? Optional.empty()
            : Optional.of(
                new GroupCommit<>(
                    "modelplane-callbacks",
                    callbackBatchMax,
                    CALLBACK_BATCH_WAIT,
                    DeploymentRunDao.CallbackItem::run,
                    items ->
                        PlainJdbc.withConnection(
                            rows.jdbi(),
                            connection -> DeploymentRunDao.callbackBatch(connection, items)),
                    this::callbackAlone));
    this.runIds = runIds;
    this.rows = rows;
    this.dags = dags;
    this.models = models;
    this.transitions = transitions;
    this.outbox = outbox;
  }

  /** A manual run: queued now, triggered in Airflow by the outbox worker. */
  public DeploymentRun trigger(String modelName, String name, RunRequest request, Caller caller) {
    DeploymentRow seen = rows.live(modelName, name);
    return trigger(
        seen, request, caller, (handle, c) -> rows.lockForChange(handle, modelName, name, c));
  }

  /** {@code trigger_now} of a create: the creator's own first run. */
  void triggerOnCreate(UUID deploymentId, Caller caller) {
    DeploymentRow seen = rows.find(deploymentId).orElseThrow();
    try {
      trigger(
          seen,
          RunRequest.plain(),
          caller,
          (handle, c) ->
              rows.lock(handle, deploymentId)
                  .orElseThrow(() -> DeploymentRows.notFound(seen.modelName(), seen.name())));
    } catch (ConflictException e) {
      LOG.info("trigger_now of deployment {} not done: {}", deploymentId, e.getMessage());
    }
  }

  private DeploymentRun trigger(
      DeploymentRow seen,
      RunRequest request,
      Caller caller,
      BiFunction<Handle, Caller, DeploymentRow> lock) {
    String requestHash = hash(request);
    // MLflow is asked before the lock; what it said is applied to the locked row.
    String versionOverride =
        request.modelVersion() == null
            ? null
            : models.checkRunVersion(seen.modelName(), request.modelVersion());
    Optional<ModelResolver.AliasTarget> alias = models.currentAliasTarget(seen);
    UUID runId = UUID.randomUUID();
    Outcome outcome;
    try {
      outcome =
          rows.jdbi()
              .inTransaction(
                  handle -> {
                    DeploymentRow locked = lock.apply(handle, caller);
                    DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
                    if (request.idempotencyKey() != null) {
                      Optional<DeploymentRunRow> previous =
                          runs.findByIdempotencyKey(
                              locked.deploymentId(), request.idempotencyKey());
                      if (previous.isPresent()) {
                        return new Outcome(replayed(previous.get(), requestHash), false);
                      }
                    }
                    if (!DeploymentTransitions.isTriggerable(
                        DeploymentStatus.of(locked.status()))) {
                      throw new ConflictException(
                          "Deployment "
                              + locked.name()
                              + " is "
                              + locked.status()
                              + ": only an active deployment can run");
                    }
                    if (outbox.isEmpty()) {
                      throw new UnavailableException(NO_ORCHESTRATOR);
                    }
                    Instant at = transitions.now();
                    // a run named manual__<time> is created at that time: the newest
                    // manual run is the latest created, and the next one is named after it
                    String airflowRunId =
                        runIds.manual(
                            () -> "modelplane__" + runId,
                            at,
                            runs.latestManualRunId(locked.deploymentId()));
                    Instant createdAt = DagRunIds.logicalDate(airflowRunId).orElse(at);
                    DeploymentDao dao = handle.attach(DeploymentDao.class);
                    ModelResolver.Applied version =
                        models.apply(dao, locked, alias, caller.name(), at);
                    Long snapshot =
                        request.snapshotId() != null ? request.snapshotId() : locked.snapshotId();
                    String runVersion =
                        versionOverride != null ? versionOverride : version.version();
                    TableRef target =
                        request.target() != null
                            ? request.target()
                            : new TableRef(
                                locked.targetCatalog(),
                                locked.targetSchema(),
                                locked.targetTable());
                    runs.insert(
                        new DeploymentRunRow(
                            runId,
                            locked.deploymentId(),
                            airflowRunId,
                            RunStatus.QUEUED.value(),
                            null,
                            null,
                            runVersion,
                            snapshot,
                            request.tags() == null ? null : rows.toJson(request.tags()),
                            request.idempotencyKey(),
                            requestHash,
                            null,
                            null,
                            createdAt,
                            createdAt,
                            target.catalog(),
                            target.schema(),
                            target.table(),
                            request.target() != null,
                            request.settings() == null ? null : rows.toJson(request.settings())));
                    dao.updateLastRun(locked.deploymentId(), runId, at);
                    EventLog.deploymentRunStatusChanged(
                        handle,
                        locked.deploymentId(),
                        runId,
                        airflowRunId,
                        null,
                        RunStatus.QUEUED.value(),
                        null,
                        null,
                        at);
                    Map<String, Object> conf = new LinkedHashMap<>();
                    conf.put("run_id", runId.toString());
                    conf.put("snapshot_id", snapshot);
                    conf.put("tags", request.tags() == null ? Map.of() : request.tags());
                    // Overrides only: a run without them runs the DAG's own deployment as before.
                    if (versionOverride != null) {
                      conf.put("model_version", versionOverride);
                    }
                    if (request.target() != null) {
                      Map<String, Object> table = new LinkedHashMap<>();
                      table.put("catalog", target.catalog());
                      table.put("schema", target.schema());
                      table.put("table", target.table());
                      conf.put("target", table);
                    }
                    if (request.settings() != null) {
                      conf.put("settings", request.settings());
                    }
                    outbox
                        .get()
                        .appendForDeployment(
                            handle,
                            OutboxTaskKind.TRIGGER_RUN,
                            locked.deploymentId(),
                            runId,
                            new OutboxPayload.Trigger(locked.dagId(), airflowRunId, conf),
                            at);
                    return new Outcome(runId, version.moved());
                  });
    } catch (UnableToExecuteStatementException e) {
      // The same Idempotency-Key, sent twice at once: the other request's run.
      if (request.idempotencyKey() != null) {
        return rows.jdbi()
            .withExtension(
                DeploymentRunDao.class,
                runs -> runs.findByIdempotencyKey(seen.deploymentId(), request.idempotencyKey()))
            .map(previous -> getRun(replayed(previous, requestHash)))
            .orElseThrow(() -> e);
      }
      throw e;
    }
    if (outcome.dagChanged()) {
      syncQuietly(seen.deploymentId());
    }
    LOG.info("Deployment {} of model {} queued a run", seen.name(), seen.modelName());
    return getRun(outcome.runId());
  }

  private UUID replayed(DeploymentRunRow previous, String hash) {
    if (!hash.equals(previous.requestHash())) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.HEADER,
          "this Idempotency-Key was used with a different request body",
          "Idempotency-Key");
    }
    return previous.runId();
  }

  /**
   * The reconcile loop ends a run that stopped reporting, unless it changed since the loop read it
   * ({@code seenStatus} at {@code seenUpdatedAt}: a callback arrived meanwhile), and marks it
   * reconciled. With {@code cancelDagRun} (a run past its maximum run time) its Airflow DAG run is
   * marked failed too, through the outbox. Returns whether it moved.
   */
  public boolean endByReconcile(
      UUID deploymentId,
      UUID runId,
      RunStatus seenStatus,
      Instant seenUpdatedAt,
      RunStatus target,
      String reason,
      boolean cancelDagRun) {
    boolean moved =
        rows.jdbi()
            .inTransaction(
                handle -> {
                  DeploymentDao dao = handle.attach(DeploymentDao.class);
                  DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
                  Optional<DeploymentRow> deployment = dao.lock(deploymentId);
                  DeploymentRunRow run = runs.find(runId).orElse(null);
                  if (run == null
                      || !seenStatus.value().equals(run.status())
                      || !seenUpdatedAt.equals(run.updatedAt())) {
                    return false;
                  }
                  Instant at = transitions.now();
                  transitions.moveRun(runs, run, target, null, reason, at);
                  handle
                      .createUpdate(
                          "UPDATE deployment_runs SET reconciled_at = :at WHERE run_id = :runId")
                      .bind("at", at)
                      .bind("runId", runId)
                      .execute();
                  dao.updateLastRun(deploymentId, runId, at);
                  if (cancelDagRun && deployment.isPresent()) {
                    outbox.ifPresent(
                        tasks ->
                            tasks.appendForDeployment(
                                handle,
                                OutboxTaskKind.CANCEL_RUN,
                                deploymentId,
                                runId,
                                new OutboxPayload.DagRun(
                                    deployment.get().dagId(), run.airflowRunId()),
                                at));
                  }
                  return true;
                });
    if (moved) {
      LOG.info("Run {} is now {} (reconcile: {})", runId, target.value(), reason);
    }
    return moved;
  }

  /**
   * A callback that arrives after the reconcile loop ended the run: agreeing with it is the
   * idempotent no-op of the callback; disagreeing is a 409 that names the recorded outcome.
   */
  private static void refuseDisagreeingLateCallback(
      Handle handle, DeploymentRunRow run, RunStatus reported) {
    Optional<Instant> reconciledAt =
        handle
            .createQuery("SELECT reconciled_at FROM deployment_runs WHERE run_id = :runId")
            .bind("runId", run.runId())
            .mapTo(Instant.class)
            .findOne();
    if (reconciledAt.isPresent() && !run.status().equals(reported.value())) {
      throw DeploymentTransitions.lateCallbackAfterReconcile(run, reported);
    }
  }

  /** The DAG's callback: creates the run on first sight, then follows the run state machine. */
  public DeploymentRun recordCallback(
      String modelName, String name, RunCallback callback, Caller caller) {
    if (caller.platform() && rows.onPostgres()) {
      // The platform may change any deployment: nothing to read before the statement.
      Optional<DeploymentRunDao.Callback> done =
          recordCallbackInOneStatement(modelName, name, Optional.empty(), callback);
      if (done.isPresent()) {
        return rows.toRun(done.get());
      }
    }
    DeploymentRow seen = rows.live(modelName, name);
    if (!caller.platform()
        && seen.modelAlias() == null
        && rows.onPostgres()
        && rows.mayChange(seen, caller)) {
      Optional<DeploymentRunDao.Callback> done =
          recordCallbackInOneStatement(
              modelName,
              name,
              Optional.of(
                  new DeploymentRunDao.AuthorizedOn(
                      seen.deploymentId(), seen.allowedRoles(), seen.owner())),
              callback);
      if (done.isPresent()) {
        return rows.toRun(done.get());
      }
    }
    // An alias to re-resolve, a deployment that changed meanwhile, or H2: decided below, in a
    // transaction on the row as locked.
    boolean known =
        rows.jdbi()
            .withExtension(
                DeploymentRunDao.class,
                runs -> runs.findByAirflowRunId(seen.deploymentId(), callback.airflowRunId()))
            .isPresent();
    // A new run uses the alias's current version: MLflow is asked before the lock.
    Optional<ModelResolver.AliasTarget> alias =
        known ? Optional.empty() : models.currentAliasTargetQuietly(seen);
    Outcome outcome =
        rows.jdbi()
            .inTransaction(
                handle -> {
                  DeploymentRow locked = rows.lockForChange(handle, modelName, name, caller);
                  DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
                  DeploymentDao dao = handle.attach(DeploymentDao.class);
                  Instant at = transitions.now();
                  Optional<DeploymentRunRow> existing =
                      runs.findByAirflowRunId(locked.deploymentId(), callback.airflowRunId());
                  if (existing.isEmpty()) {
                    ModelResolver.Applied version =
                        models.apply(dao, locked, alias, caller.name(), at);
                    UUID id = UUID.randomUUID();
                    RunStatus status = callback.status();
                    String error =
                        status == RunStatus.FAILED
                            ? ErrorMessages.truncate(callback.errorMessage())
                            : null;
                    runs.insert(
                        new DeploymentRunRow(
                            id,
                            locked.deploymentId(),
                            callback.airflowRunId(),
                            status.value(),
                            callback.rowsScored(),
                            error,
                            version.version(),
                            locked.snapshotId(),
                            null,
                            null,
                            null,
                            status == RunStatus.RUNNING ? at : null,
                            status.isTerminal() ? at : null,
                            at,
                            at,
                            locked.targetCatalog(),
                            locked.targetSchema(),
                            locked.targetTable(),
                            false,
                            null));
                    dao.updateLastRun(locked.deploymentId(), id, at);
                    EventLog.deploymentRunStatusChanged(
                        handle,
                        locked.deploymentId(),
                        id,
                        callback.airflowRunId(),
                        null,
                        status.value(),
                        callback.rowsScored(),
                        error,
                        at);
                    return new Outcome(id, version.moved());
                  }
                  DeploymentRunRow run = existing.get();
                  refuseDisagreeingLateCallback(handle, run, callback.status());
                  if (RunStatus.of(run.status()) == callback.status()) {
                    return new Outcome(run.runId(), false);
                  }
                  transitions.moveRun(
                      runs,
                      run,
                      callback.status(),
                      callback.rowsScored(),
                      callback.errorMessage(),
                      at);
                  dao.updateLastRun(locked.deploymentId(), run.runId(), at);
                  return new Outcome(run.runId(), false);
                });
    if (outcome.dagChanged()) {
      syncQuietly(seen.deploymentId());
    }
    return getRun(outcome.runId());
  }

  /**
   * The callback on PostgreSQL in one round trip, for a deployment pinned to a model version (see
   * {@link DeploymentTransitions#callbackItem}); concurrent callbacks of other runs are committed
   * together ({@link GroupCommit}, {@link DeploymentRunDao#callbackBatch}), and this returns once
   * this one's transaction committed. Empty when it did not apply (nothing written) or when the
   * run's first sight raced another one (its insert lost on the unique key).
   *
   * @throws ConflictException when the move is refused (nothing written)
   */
  private Optional<DeploymentRunDao.Callback> recordCallbackInOneStatement(
      String modelName,
      String name,
      Optional<DeploymentRunDao.AuthorizedOn> authorizedOn,
      RunCallback callback) {
    DeploymentRunDao.CallbackItem item =
        transitions.callbackItem(modelName, name, authorizedOn, callback);
    Optional<DeploymentRunDao.Callback> done;
    try {
      done = callbacks.isPresent() ? callbacks.get().submit(item) : callbackAlone(item);
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return Optional.empty();
      }
      throw e;
    }
    return done.map(result -> DeploymentTransitions.checkCallback(result, callback.status()));
  }

  /** One callback in its own statement (and implicit transaction). */
  private Optional<DeploymentRunDao.Callback> callbackAlone(DeploymentRunDao.CallbackItem item) {
    return PlainJdbc.withConnection(
        rows.jdbi(), connection -> DeploymentRunDao.callbackInOneStatement(connection, item));
  }

  /** Commits the callbacks still queued and stops the threads that commit them. */
  public void close() {
    callbacks.ifPresent(GroupCommit::close);
  }

  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * {@code queued | running → failed}, and the Airflow DAG run marked failed through the outbox. A
   * run that already ended (succeeded or failed) answers 409.
   */
  public DeploymentRun cancelRun(String modelName, String name, UUID runId, Caller caller) {
    rows.jdbi()
        .useTransaction(
            handle -> {
              DeploymentRow locked = rows.lockForChange(handle, modelName, name, caller);
              DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
              DeploymentRunRow run =
                  runs.find(runId)
                      .filter(r -> r.deploymentId().equals(locked.deploymentId()))
                      .orElseThrow(() -> new NotFoundException("Run " + runId + " not found"));
              RunStatus from = RunStatus.of(run.status());
              if (from.isTerminal()) {
                throw new ConflictException(
                    "Run "
                        + runId
                        + " is "
                        + from.value()
                        + ": only a queued or running run can be cancelled");
              }
              Instant at = transitions.now();
              transitions.moveRun(
                  runs, run, RunStatus.FAILED, null, "cancelled by " + caller.name(), at);
              outbox.ifPresent(
                  tasks ->
                      tasks.appendForDeployment(
                          handle,
                          OutboxTaskKind.CANCEL_RUN,
                          locked.deploymentId(),
                          runId,
                          new OutboxPayload.DagRun(locked.dagId(), run.airflowRunId()),
                          at));
            });
    LOG.info("Run {} of deployment {} cancelled by {}", runId, name, caller.name());
    return getRun(runId);
  }

  public Page<DeploymentRun> listRuns(
      String modelName,
      String name,
      RunStatus status,
      Instant createdAfter,
      Instant createdBefore,
      int pageSize,
      String pageToken) {
    DeploymentRow deployment = rows.live(modelName, name);
    UUID id = deployment.deploymentId();
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<DeploymentRunRow> page =
        rows.jdbi()
            .withExtension(
                DeploymentRunDao.class,
                runs ->
                    runs.list(
                        id,
                        status == null ? null : status.value(),
                        createdAfter,
                        createdBefore,
                        after,
                        pageSize + 1));
    String next = null;
    if (page.size() > pageSize) {
      page = page.subList(0, pageSize);
      DeploymentRunRow last = page.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.runId()));
    }
    return new Page<>(page.stream().map(run -> rows.toRun(run, deployment)).toList(), next);
  }

  /** What {@code GET /api/runs} asks for; null and empty filters match any run. */
  public record RunQuery(
      String deployment,
      String owner,
      List<RunStatus> statuses,
      Instant createdAfter,
      Instant createdBefore,
      boolean byStatus,
      boolean descending,
      int pageSize,
      String pageToken) {}

  /**
   * Runs across deployments, archived ones included. {@code deployment} is a deployment id, or
   * {@code model/name} of a live deployment (names have no {@code /}); one that names no deployment
   * matches no run.
   */
  public Page<DeploymentRun> listAllRuns(RunQuery query) {
    String order =
        (query.byStatus() ? "status" : "created_at") + "." + (query.descending() ? "desc" : "asc");
    RunListFilter.RunCursor after =
        query.pageToken() == null ? null : RunPageTokens.decode(query.pageToken(), order);
    UUID deploymentId = null;
    if (query.deployment() != null) {
      Optional<UUID> id = deploymentIdOf(query.deployment());
      if (id.isEmpty()) {
        return new Page<>(List.of(), null);
      }
      deploymentId = id.get();
    }
    RunListFilter filter =
        new RunListFilter(
            deploymentId,
            query.owner(),
            query.statuses() == null
                ? List.of()
                : query.statuses().stream().map(RunStatus::value).distinct().toList(),
            query.createdAfter(),
            query.createdBefore(),
            query.byStatus(),
            query.descending(),
            after);
    List<DeploymentRunRow> page =
        rows.jdbi()
            .withExtension(
                DeploymentRunDao.class, runs -> runs.listAcross(filter, query.pageSize() + 1));
    String next = null;
    if (page.size() > query.pageSize()) {
      page = page.subList(0, query.pageSize());
      DeploymentRunRow last = page.get(query.pageSize() - 1);
      next =
          RunPageTokens.encode(
              order, new RunListFilter.RunCursor(last.status(), last.createdAt(), last.runId()));
    }
    Map<UUID, DeploymentRow> deployments = new HashMap<>();
    List<DeploymentRun> items =
        page.stream()
            .map(
                run ->
                    rows.toRun(
                        run,
                        deployments.computeIfAbsent(
                            run.deploymentId(), id -> rows.find(id).orElseThrow())))
            .toList();
    return new Page<>(items, next);
  }

  private Optional<UUID> deploymentIdOf(String deployment) {
    try {
      return Optional.of(UUID.fromString(deployment));
    } catch (IllegalArgumentException notAnId) {
      int slash = deployment.lastIndexOf('/');
      if (slash <= 0 || slash == deployment.length() - 1) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.QUERY,
            "deployment must be a deployment_id or model/name",
            "deployment");
      }
      String model = deployment.substring(0, slash);
      String name = deployment.substring(slash + 1);
      return rows.jdbi()
          .withExtension(DeploymentDao.class, dao -> dao.findLive(model, name))
          .map(DeploymentRow::deploymentId);
    }
  }

  public DeploymentRun getRun(String modelName, String name, UUID runId) {
    UUID id = rows.live(modelName, name).deploymentId();
    DeploymentRun run = getRun(runId);
    if (!run.deploymentId().equals(id)) {
      throw new NotFoundException("Run " + runId + " not found");
    }
    return run;
  }

  private DeploymentRun getRun(UUID runId) {
    return rows.findRun(runId)
        .map(rows::toRun)
        .orElseThrow(() -> new NotFoundException("Run " + runId + " not found"));
  }

  private void syncQuietly(UUID deploymentId) {
    try {
      dags.sync(deploymentId);
    } catch (RuntimeException e) {
      LOG.warn("DAG file of deployment {} not rewritten: {}", deploymentId, e.getMessage());
    }
  }

  /** A fingerprint of a run request; no tags and empty tags are the same request. */
  private String hash(RunRequest request) {
    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("snapshot_id", request.snapshotId());
    boolean noTags = request.tags() == null || request.tags().isEmpty();
    canonical.put("tags", noTags ? null : new TreeMap<>(request.tags()));
    // Overrides only when given: the fingerprint of a request without them is as it always was.
    if (request.modelVersion() != null) {
      canonical.put("model_version", request.modelVersion());
    }
    if (request.target() != null) {
      canonical.put("target", request.target());
    }
    if (request.settings() != null) {
      canonical.put("settings", sorted(request.settings()));
    }
    return Hashes.sha256(rows.toJson(canonical));
  }

  /** A JSON value with its objects' keys in one order, so that equal settings hash alike. */
  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> ordered = new TreeMap<>();
      map.forEach((key, item) -> ordered.put(String.valueOf(key), sorted(item)));
      return ordered;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(DeploymentRuns::sorted).toList();
    }
    return value;
  }

  /** The run a transaction produced, and whether the DAG file must be written again. */
  private record Outcome(UUID runId, boolean dagChanged) {}
}
