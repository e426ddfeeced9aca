package io.modelplane.server.service;

import static io.modelplane.server.service.DeploymentStatus.ACTIVE;
import static io.modelplane.server.service.DeploymentStatus.ARCHIVED;
import static io.modelplane.server.service.DeploymentStatus.DEPLOYING;
import static io.modelplane.server.service.DeploymentStatus.FAILED;
import static io.modelplane.server.service.DeploymentStatus.PENDING;
import static io.modelplane.server.service.DeploymentStatus.STOPPED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentEventRow;
import io.modelplane.server.db.DeploymentFilter;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.DeploymentRunRow;
import io.modelplane.server.db.Keyset;
import io.modelplane.server.db.OutboxDao;
import io.modelplane.server.integration.airflow.AirflowClient;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.integration.mlflow.ModelRegistry;
import io.modelplane.server.integration.mlflow.RegistryUnavailableException;
import io.modelplane.server.render.DagRenderer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch deployments: creation (model resolution, DAG rendering and publishing), updates, stop,
 * start, archive, manual runs, run callbacks and alias tracking. Actions on Airflow are written to
 * the outbox in the same transaction as the change that needs them; the {@link OutboxWorker}
 * performs them.
 */
public final class DeploymentService {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);
  static final String NO_ORCHESTRATOR =
      "No orchestrator is configured (MODELPLANE_AIRFLOW_URL is not set): runs cannot be"
          + " triggered.";

  private final Jdbi jdbi;
  private final DagStore dagStore;
  private final DagRenderer renderer;
  private final Optional<AirflowClient> airflow;
  private final Optional<ModelRegistry> registry;
  private final URI publicUrl;
  private final ObjectMapper json;
  private final Clock clock;

  public DeploymentService(
      Jdbi jdbi,
      DagStore dagStore,
      DagRenderer renderer,
      Optional<AirflowClient> airflow,
      Optional<ModelRegistry> registry,
      URI publicUrl,
      ObjectMapper json,
      Clock clock) {
    this.jdbi = jdbi;
    this.dagStore = dagStore;
    this.renderer = renderer;
    this.airflow = airflow;
    this.registry = registry;
    this.publicUrl = publicUrl;
    this.json = json;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- create, read, list

  public Deployment create(NewDeployment request, Caller caller) {
    boolean hasVersion = request.modelVersion() != null;
    boolean hasAlias = request.modelAlias() != null;
    if (hasVersion == hasAlias) {
      throw new InvalidRequestException(
          List.of("body", "model"),
          "value_error",
          "Value error, exactly one of model_version and model_alias must be set");
    }
    String schedule = CronSchedule.validate(request.schedule(), List.of("body", "schedule"));
    String filter = request.filterSql() == null ? null : SqlFilter.normalise(request.filterSql());
    if (findLive(request.modelName(), request.name()).isPresent()) {
      throw new ConflictException(
          "Deployment " + request.name() + " of model " + request.modelName() + " already exists");
    }
    String resolved =
        resolveModel(request.modelName(), request.modelVersion(), request.modelAlias(), true);

    UUID id = UUID.randomUUID();
    Instant now = now();
    DeploymentRow row =
        new DeploymentRow(
            id,
            request.modelName(),
            request.name(),
            request.name(),
            "batch",
            PENDING.value(),
            request.domain(),
            request.owner(),
            request.modelVersion(),
            request.modelAlias(),
            resolved,
            request.source().catalog(),
            request.source().schema(),
            request.source().table(),
            filter,
            request.snapshotId(),
            request.target().catalog(),
            request.target().schema(),
            request.target().table(),
            toJson(request.entityColumns()),
            schedule,
            request.rerunBehavior(),
            request.partitionColumn(),
            toJson(request.allowedRoles() == null ? List.of() : request.allowedRoles()),
            "modelplane-deployment-" + id,
            null,
            null,
            null,
            null,
            null,
            1,
            now,
            now);
    row = withRenderedDag(row);
    DeploymentRow pending = row;
    try {
      jdbi.useTransaction(
          handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            dao.insert(pending);
            dao.insertEvent(id, "status", null, PENDING.value(), caller.name(), "created", now);
          });
    } catch (UnableToExecuteStatementException e) {
      if (findLive(request.modelName(), request.name()).isPresent()) {
        throw new ConflictException(
            "Deployment "
                + request.name()
                + " of model "
                + request.modelName()
                + " already exists");
      }
      throw e;
    }
    LOG.info("Created deployment {} of model {} ({})", request.name(), request.modelName(), id);
    publish(id, caller);
    if (request.triggerNow() && airflow.isPresent()) {
      DeploymentRow current = findRow(id);
      if (DeploymentStateMachine.isTriggerable(DeploymentStatus.of(current.status()))) {
        trigger(request.modelName(), request.name(), new RunRequest(null, null, null), caller);
      }
    }
    return get(request.modelName(), request.name());
  }

  /** Who may invoke or manage a deployment: its allowed roles and its owner. */
  public record AccessRule(java.util.Set<String> allowedRoles, String owner) {}

  /** The access rule of a live deployment, for authorization; empty when there is none. */
  public Optional<AccessRule> accessRule(String modelName, String name) {
    return findLive(modelName, name)
        .map(
            row ->
                new AccessRule(
                    java.util.Set.copyOf(
                        fromJson(row.allowedRoles(), new TypeReference<List<String>>() {})),
                    row.owner()));
  }

  public Deployment get(String modelName, String name) {
    return toDeployment(load(modelName, name));
  }

  public Page<Deployment> list(DeploymentFilter filter, int pageSize, String pageToken) {
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<DeploymentRow> rows =
        jdbi.withExtension(DeploymentDao.class, dao -> dao.list(filter, after, pageSize + 1));
    String next = null;
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      DeploymentRow last = rows.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.deploymentId()));
    }
    return new Page<>(rows.stream().map(this::toDeployment).toList(), next);
  }

  public List<DeploymentEvent> events(String modelName, String name) {
    UUID id = load(modelName, name).deploymentId();
    return jdbi.withExtension(DeploymentDao.class, dao -> dao.events(id)).stream()
        .map(DeploymentService::toEvent)
        .toList();
  }

  // ---------------------------------------------------------------- changes

  public Deployment update(
      String modelName, String name, DeploymentChanges changes, Caller caller) {
    DeploymentRow row = load(modelName, name);
    checkIfMatch(row, changes.ifMatch());
    String schedule = row.schedule();
    String filter = row.filterSql();
    String version = row.modelVersion();
    String alias = row.modelAlias();
    String resolved = row.resolvedModelVersion();
    List<String> changed = new java.util.ArrayList<>();
    if (changes.schedule().isPresent()) {
      schedule =
          CronSchedule.validate(changes.schedule().get().orElse(null), List.of("body", "schedule"));
      changed.add("schedule");
    }
    if (changes.filterSql().isPresent()) {
      filter = changes.filterSql().get().map(SqlFilter::normalise).orElse(null);
      changed.add("filter_sql");
    }
    String rerun = changes.rerunBehavior().orElse(row.rerunBehavior());
    if (changes.rerunBehavior().isPresent()) {
      changed.add("rerun_behavior");
    }
    if (changes.model().isPresent()) {
      DeploymentChanges.ModelChoice model = changes.model().get();
      if (!model.modelName().equals(row.modelName())) {
        throw new InvalidRequestException(
            List.of("body", "model", "model_name"),
            "value_error",
            "Value error, model_name must be the deployment's model " + row.modelName());
      }
      if ((model.version() == null) == (model.alias() == null)) {
        throw new InvalidRequestException(
            List.of("body", "model"),
            "value_error",
            "Value error, exactly one of model_version and model_alias must be set");
      }
      resolved = resolveModel(row.modelName(), model.version(), model.alias(), true);
      version = model.version();
      alias = model.alias();
      changed.add("model");
    }
    DeploymentRow updated =
        withRenderedDag(
            row.toBuilder()
                .schedule(schedule)
                .filterSql(filter)
                .rerunBehavior(rerun)
                .modelVersion(version)
                .modelAlias(alias)
                .resolvedModelVersion(resolved)
                .updatedAt(now())
                .build());
    boolean republish = DeploymentStatus.of(row.status()) == FAILED;
    String reason = "updated " + String.join(", ", changed) + "; DAG re-rendered";
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, row.deploymentId());
          checkIfMatch(locked, changes.ifMatch());
          DeploymentDao dao = handle.attach(DeploymentDao.class);
          URI uri = dagStore.put(updated.dagId(), updated.renderedDag());
          dao.update(withStoreUri(updated, uri));
          dao.insertEvent(row.deploymentId(), "rendered", null, null, caller.name(), reason, now());
        });
    LOG.info("Deployment {} of model {} {}", name, modelName, reason);
    if (republish) {
      publish(row.deploymentId(), caller);
    }
    return get(modelName, name);
  }

  public Deployment setAllowedRoles(
      String modelName, String name, List<String> roles, Caller caller) {
    DeploymentRow row = load(modelName, name);
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, row.deploymentId());
          DeploymentRow updated =
              locked.toBuilder()
                  .allowedRoles(toJson(List.copyOf(new java.util.LinkedHashSet<>(roles))))
                  .updatedAt(now())
                  .build();
          handle.attach(DeploymentDao.class).update(updated);
          handle
              .attach(DeploymentDao.class)
              .insertEvent(
                  row.deploymentId(),
                  "roles",
                  null,
                  null,
                  caller.name(),
                  "allowed_roles set to " + roles,
                  now());
        });
    return get(modelName, name);
  }

  /** {@code active → stopped}: the DAG is paused. Stopping a stopped deployment is a no-op. */
  public Deployment stop(String modelName, String name, Caller caller) {
    return changeStatus(modelName, name, STOPPED, caller, OutboxWorker.PAUSE_DAG, "stopped");
  }

  /** {@code stopped → active}: the DAG is unpaused. Starting an active deployment is a no-op. */
  public Deployment start(String modelName, String name, Caller caller) {
    return changeStatus(modelName, name, ACTIVE, caller, OutboxWorker.UNPAUSE_DAG, "started");
  }

  /** Any → archived: the DAG leaves the store and Airflow; history stays; the name is free. */
  public Deployment archive(String modelName, String name, Caller caller) {
    DeploymentRow row = load(modelName, name);
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, row.deploymentId());
          DeploymentStatus from = DeploymentStatus.of(locked.status());
          DeploymentDao dao = handle.attach(DeploymentDao.class);
          dao.update(
              locked.toBuilder().status(ARCHIVED.value()).liveName(null).updatedAt(now()).build());
          dao.insertEvent(
              row.deploymentId(),
              "status",
              from.value(),
              ARCHIVED.value(),
              caller.name(),
              "archived",
              now);
          dagStore.delete(locked.dagId());
          if (airflow.isPresent()) {
            handle
                .attach(OutboxDao.class)
                .enqueue(OutboxWorker.DELETE_DAG, row.deploymentId(), null, null, now);
          }
        });
    LOG.info("Deployment {} of model {} archived by {}", name, modelName, caller.name());
    return toDeployment(findRow(row.deploymentId()));
  }

  // ---------------------------------------------------------------- runs

  /** A manual run: queued now, triggered in Airflow by the outbox worker. */
  public DeploymentRun trigger(String modelName, String name, RunRequest request, Caller caller) {
    DeploymentRow row = load(modelName, name);
    String requestHash = hash(request);
    if (request.idempotencyKey() != null) {
      Optional<DeploymentRun> replay = replay(row.deploymentId(), request, requestHash);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    if (!DeploymentStateMachine.isTriggerable(DeploymentStatus.of(row.status()))) {
      throw new ConflictException(
          "Deployment " + name + " is " + row.status() + ": only an active deployment can run");
    }
    if (airflow.isEmpty()) {
      throw new UnavailableException(NO_ORCHESTRATOR);
    }
    String modelVersion = trackAlias(row.deploymentId(), caller);
    UUID runId = UUID.randomUUID();
    String airflowRunId = "modelplane__" + runId;
    Instant now = now();
    Long snapshot = request.snapshotId() != null ? request.snapshotId() : row.snapshotId();
    DeploymentRunRow run =
        new DeploymentRunRow(
            runId,
            row.deploymentId(),
            airflowRunId,
            RunStatus.QUEUED.value(),
            null,
            null,
            modelVersion,
            snapshot,
            request.tags() == null ? null : toJson(request.tags()),
            request.idempotencyKey(),
            requestHash,
            null,
            null,
            now,
            now);
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("run_id", runId.toString());
    conf.put("snapshot_id", snapshot);
    conf.put("tags", request.tags() == null ? Map.of() : request.tags());
    try {
      jdbi.useTransaction(
          handle -> {
            DeploymentRow locked = lock(handle, row.deploymentId());
            handle.attach(DeploymentRunDao.class).insert(run);
            handle.attach(DeploymentDao.class).update(withLastRun(locked, runId));
            handle
                .attach(OutboxDao.class)
                .enqueue(
                    OutboxWorker.TRIGGER_RUN,
                    row.deploymentId(),
                    runId,
                    toJson(Map.of("dag_run_id", airflowRunId, "conf", conf)),
                    now);
          });
    } catch (UnableToExecuteStatementException e) {
      if (request.idempotencyKey() != null) {
        return replay(row.deploymentId(), request, requestHash).orElseThrow(() -> e);
      }
      throw e;
    }
    LOG.info("Deployment {} of model {} queued run {}", name, modelName, airflowRunId);
    return getRun(runId);
  }

  /** The DAG's callback: creates the run on first sight, then follows the run state machine. */
  public DeploymentRun recordCallback(
      String modelName, String name, RunCallback callback, Caller caller) {
    DeploymentRow row = load(modelName, name);
    boolean known =
        jdbi.withHandle(
                handle ->
                    DeploymentRunDao.findByAirflowRunId(
                        handle, row.deploymentId(), callback.airflowRunId()))
            .isPresent();
    // Only an alias may have moved; a pinned version is what the row says (read again below).
    String modelVersion =
        known || row.modelAlias() == null || registry.isEmpty()
            ? null
            : trackAliasQuietly(row.deploymentId(), caller);
    Instant now = now();
    UUID runId =
        jdbi.inTransaction(
            handle -> {
              DeploymentRow locked = lock(handle, row.deploymentId());
              Optional<DeploymentRunRow> existing =
                  DeploymentRunDao.findByAirflowRunId(
                      handle, row.deploymentId(), callback.airflowRunId());
              if (existing.isEmpty()) {
                UUID id = UUID.randomUUID();
                RunStatus status = callback.status();
                DeploymentRunDao.insert(
                    handle,
                    new DeploymentRunRow(
                        id,
                        row.deploymentId(),
                        callback.airflowRunId(),
                        status.value(),
                        callback.rowsScored(),
                        status == RunStatus.FAILED
                            ? ErrorMessages.truncate(callback.errorMessage())
                            : null,
                        modelVersion != null ? modelVersion : locked.resolvedModelVersion(),
                        locked.snapshotId(),
                        null,
                        null,
                        null,
                        status == RunStatus.RUNNING ? now : null,
                        status.isTerminal() ? now : null,
                        now,
                        now));
                DeploymentDao.setLastRun(handle, locked.deploymentId(), id, now());
                return id;
              }
              DeploymentRunRow run = existing.get();
              RunStatus from = RunStatus.of(run.status());
              RunStatus to = callback.status();
              if (from == to) {
                return run.runId();
              }
              if (!DeploymentStateMachine.canRunMove(from, to)) {
                throw new ConflictException(
                    "Run "
                        + callback.airflowRunId()
                        + " is "
                        + from.value()
                        + ": it cannot move to "
                        + to.value());
              }
              DeploymentRunDao.update(
                  handle,
                  run.moved(
                      to.value(),
                      callback.rowsScored() != null ? callback.rowsScored() : run.rowsScored(),
                      to == RunStatus.FAILED
                          ? ErrorMessages.truncate(callback.errorMessage())
                          : null,
                      run.startedAt() == null && to == RunStatus.RUNNING ? now : run.startedAt(),
                      to.isTerminal() ? now : null,
                      now));
              DeploymentDao.setLastRun(handle, locked.deploymentId(), run.runId(), now());
              return run.runId();
            });
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
    UUID id = load(modelName, name).deploymentId();
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<DeploymentRunRow> rows =
        jdbi.withHandle(
            handle ->
                DeploymentRunDao.list(
                    handle,
                    id,
                    status == null ? null : status.value(),
                    createdAfter,
                    createdBefore,
                    after,
                    pageSize + 1));
    String next = null;
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      DeploymentRunRow last = rows.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.runId()));
    }
    return new Page<>(rows.stream().map(this::toRun).toList(), next);
  }

  public DeploymentRun getRun(String modelName, String name, UUID runId) {
    UUID id = load(modelName, name).deploymentId();
    DeploymentRun run = getRun(runId);
    if (!run.deploymentId().equals(id)) {
      throw new NotFoundException("Run " + runId + " not found");
    }
    return run;
  }

  /** {@code queued | running → failed}, and the Airflow DAG run marked failed. */
  public DeploymentRun cancelRun(String modelName, String name, UUID runId, Caller caller) {
    DeploymentRun run = getRun(modelName, name, runId);
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          lock(handle, run.deploymentId());
          DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
          DeploymentRunRow current = runs.find(runId).orElseThrow();
          RunStatus from = RunStatus.of(current.status());
          if (from.isTerminal()) {
            throw new ConflictException(
                "Run "
                    + runId
                    + " is "
                    + from.value()
                    + ": only a queued or running run can be"
                    + " cancelled");
          }
          runs.update(
              current.moved(
                  RunStatus.FAILED.value(),
                  current.rowsScored(),
                  "cancelled by " + caller.name(),
                  current.startedAt(),
                  now,
                  now));
          if (airflow.isPresent()) {
            handle
                .attach(OutboxDao.class)
                .enqueue(
                    OutboxWorker.CANCEL_RUN,
                    run.deploymentId(),
                    runId,
                    toJson(Map.of("dag_run_id", current.airflowRunId())),
                    now);
          }
        });
    LOG.info("Run {} of deployment {} cancelled by {}", runId, name, caller.name());
    return getRun(runId);
  }

  // ---------------------------------------------------------------- called by the outbox worker

  /** The DAG is live in Airflow: {@code deploying → active}. */
  void markPublished(UUID deploymentId) {
    moveIf(deploymentId, DEPLOYING, ACTIVE, null, "unpaused in Airflow");
  }

  /** Publishing failed for good: {@code deploying → failed} with the reason. */
  void markPublishFailed(UUID deploymentId, String error) {
    moveIf(deploymentId, DEPLOYING, FAILED, error, "publishing failed");
  }

  /** Airflow refused to start a run for good: the run fails with the reason. */
  void markRunTriggerFailed(UUID runId, String error) {
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          DeploymentRunDao runs = handle.attach(DeploymentRunDao.class);
          runs.find(runId)
              .filter(run -> RunStatus.of(run.status()) == RunStatus.QUEUED)
              .ifPresent(
                  run ->
                      runs.update(
                          run.moved(
                              RunStatus.FAILED.value(),
                              run.rowsScored(),
                              ErrorMessages.truncate("Airflow did not start the run: " + error),
                              run.startedAt(),
                              now,
                              now)));
        });
  }

  DeploymentRow findRow(UUID deploymentId) {
    return jdbi.withExtension(DeploymentDao.class, dao -> dao.find(deploymentId))
        .orElseThrow(() -> new NotFoundException("Deployment " + deploymentId + " not found"));
  }

  // ---------------------------------------------------------------- internals

  /** Stores the DAG ({@code pending → deploying}) and asks Airflow to unpause it. */
  private void publish(UUID deploymentId, Caller caller) {
    DeploymentRow row = findRow(deploymentId);
    URI uri;
    try {
      uri = dagStore.put(row.dagId(), row.renderedDag());
    } catch (RuntimeException e) {
      LOG.warn("Cannot store the DAG of deployment {}: {}", deploymentId, e.getMessage());
      moveIf(
          deploymentId,
          DeploymentStatus.of(row.status()),
          FAILED,
          "Cannot store the DAG: " + e.getMessage(),
          "publishing failed");
      return;
    }
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, deploymentId);
          DeploymentStatus from = DeploymentStatus.of(locked.status());
          DeploymentDao dao = handle.attach(DeploymentDao.class);
          DeploymentStatus to = airflow.isPresent() ? DEPLOYING : ACTIVE;
          dao.update(
              withStoreUri(
                  locked.toBuilder().status(to.value()).errorMessage(null).updatedAt(now()).build(),
                  uri));
          if (from != DEPLOYING) {
            dao.insertEvent(
                deploymentId,
                "status",
                from.value(),
                DEPLOYING.value(),
                caller.name(),
                "DAG stored at " + uri,
                now);
          }
          if (airflow.isPresent()) {
            handle
                .attach(OutboxDao.class)
                .enqueue(OutboxWorker.PUBLISH_DAG, deploymentId, null, null, now);
          } else {
            dao.insertEvent(
                deploymentId,
                "status",
                DEPLOYING.value(),
                ACTIVE.value(),
                caller.name(),
                "no orchestrator configured: the DAG is stored only",
                now);
          }
        });
  }

  private Deployment changeStatus(
      String modelName,
      String name,
      DeploymentStatus target,
      Caller caller,
      String outboxKind,
      String reason) {
    DeploymentRow row = load(modelName, name);
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, row.deploymentId());
          DeploymentStatus from = DeploymentStatus.of(locked.status());
          if (from == target) {
            return;
          }
          if (!DeploymentStateMachine.canMove(from, target)) {
            throw new ConflictException(
                "Deployment " + name + " is " + from.value() + ": it cannot be " + reason);
          }
          DeploymentDao dao = handle.attach(DeploymentDao.class);
          dao.update(
              locked.toBuilder()
                  .status(target.value())
                  .stoppedAt(target == STOPPED ? now : null)
                  .updatedAt(now())
                  .build());
          dao.insertEvent(
              row.deploymentId(),
              "status",
              from.value(),
              target.value(),
              caller.name(),
              reason,
              now);
          if (airflow.isPresent()) {
            handle.attach(OutboxDao.class).enqueue(outboxKind, row.deploymentId(), null, null, now);
          }
        });
    LOG.info("Deployment {} of model {} {} by {}", name, modelName, reason, caller.name());
    return get(modelName, name);
  }

  private void moveIf(
      UUID deploymentId, DeploymentStatus from, DeploymentStatus to, String error, String reason) {
    Instant now = now();
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, deploymentId);
          if (DeploymentStatus.of(locked.status()) != from) {
            return; // archived or changed meanwhile
          }
          DeploymentDao dao = handle.attach(DeploymentDao.class);
          dao.update(
              locked.toBuilder()
                  .status(to.value())
                  .errorMessage(ErrorMessages.truncate(error))
                  .updatedAt(now())
                  .build());
          dao.insertEvent(
              deploymentId,
              "status",
              from.value(),
              to.value(),
              "outbox-worker",
              error == null ? reason : reason + ": " + ErrorMessages.truncate(error),
              now);
        });
  }

  /**
   * Re-resolves the alias of an alias-tracking deployment when a run starts; when it moved, the DAG
   * is re-rendered and the change recorded. Returns the version the run uses.
   */
  private String trackAlias(UUID deploymentId, Caller caller) {
    DeploymentRow row = findRow(deploymentId);
    if (row.modelAlias() == null || registry.isEmpty()) {
      return row.resolvedModelVersion();
    }
    String current = resolveModel(row.modelName(), null, row.modelAlias(), false);
    if (current.equals(row.resolvedModelVersion())) {
      return current;
    }
    String previous = row.resolvedModelVersion();
    jdbi.useTransaction(
        handle -> {
          DeploymentRow locked = lock(handle, deploymentId);
          DeploymentRow updated =
              withRenderedDag(
                  locked.toBuilder().resolvedModelVersion(current).updatedAt(now()).build());
          URI uri = dagStore.put(updated.dagId(), updated.renderedDag());
          DeploymentDao dao = handle.attach(DeploymentDao.class);
          dao.update(withStoreUri(updated, uri));
          dao.insertEvent(
              deploymentId,
              "model_version",
              null,
              null,
              caller.name(),
              "model version " + previous + " → " + current + " (alias " + row.modelAlias() + ")",
              now());
        });
    LOG.info(
        "Deployment {}: alias {} moved from version {} to {}",
        deploymentId,
        row.modelAlias(),
        previous,
        current);
    return current;
  }

  /** Alias tracking for callbacks: a registry outage must not lose the callback. */
  private String trackAliasQuietly(UUID deploymentId, Caller caller) {
    try {
      return trackAlias(deploymentId, caller);
    } catch (UnavailableException | InvalidRequestException e) {
      LOG.warn("Alias of deployment {} not re-resolved: {}", deploymentId, e.getMessage());
      return null;
    }
  }

  /**
   * The concrete version of a model reference. Without a registry a pinned version is taken as
   * given; an alias cannot be resolved and is refused.
   */
  private String resolveModel(String modelName, String version, String alias, boolean atCreate) {
    List<Object> where =
        version != null
            ? List.of("body", "model", "model_version")
            : List.of("body", "model", "model_alias");
    if (registry.isEmpty()) {
      if (alias != null) {
        throw new InvalidRequestException(
            where,
            "value_error",
            "Value error, model_alias needs MLflow, which is not configured"
                + " (MODELPLANE_MLFLOW_URL): pin a model_version instead");
      }
      if (atCreate) {
        LOG.info(
            "MLflow is not configured: model {} version {} accepted without a check",
            modelName,
            version);
      }
      return version;
    }
    try {
      if (version != null) {
        if (!registry.get().versionExists(modelName, version)) {
          throw new InvalidRequestException(
              where,
              "value_error",
              "Value error, version " + version + " of model " + modelName + " is not in MLflow");
        }
        return version;
      }
      return registry
          .get()
          .resolveAlias(modelName, alias)
          .orElseThrow(
              () ->
                  new InvalidRequestException(
                      where,
                      "value_error",
                      "Value error, alias "
                          + alias
                          + " of model "
                          + modelName
                          + " is not in MLflow"));
    } catch (RegistryUnavailableException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  private Optional<DeploymentRun> replay(UUID deploymentId, RunRequest request, String hash) {
    Optional<DeploymentRunRow> previous =
        jdbi.withExtension(
            DeploymentRunDao.class,
            dao -> dao.findByIdempotencyKey(deploymentId, request.idempotencyKey()));
    if (previous.isEmpty()) {
      return Optional.empty();
    }
    if (!hash.equals(previous.get().requestHash())) {
      throw new InvalidRequestException(
          List.of("header", "Idempotency-Key"),
          "value_error",
          "Value error, this Idempotency-Key was used with a different request body");
    }
    return Optional.of(toRun(previous.get()));
  }

  private DeploymentRow withRenderedDag(DeploymentRow row) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("catalog", row.sourceCatalog());
    source.put("schema", row.sourceSchema());
    source.put("table", row.sourceTable());
    source.put(
        "table_sql",
        new TableRef(row.sourceCatalog(), row.sourceSchema(), row.sourceTable()).quoted());
    source.put("filter_sql", row.filterSql());
    source.put("snapshot_id", row.snapshotId());
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("catalog", row.targetCatalog());
    target.put("schema", row.targetSchema());
    target.put("table", row.targetTable());
    target.put(
        "table_sql",
        new TableRef(row.targetCatalog(), row.targetSchema(), row.targetTable()).quoted());
    List<String> entityColumns = fromJson(row.entityColumns(), new TypeReference<>() {});
    List<String> dedupKeys = new java.util.ArrayList<>(entityColumns);
    dedupKeys.add("model_version");
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("deployment_id", row.deploymentId().toString());
    deployment.put("model_name", row.modelName());
    deployment.put("name", row.name());
    deployment.put("model_version", row.resolvedModelVersion());
    deployment.put("model_alias", row.modelAlias());
    deployment.put("model_uri", "models:/" + row.modelName() + "/" + row.resolvedModelVersion());
    deployment.put("source", source);
    deployment.put("target", target);
    deployment.put("entity_columns", entityColumns);
    deployment.put("rerun_behavior", row.rerunBehavior());
    deployment.put("partition_column", row.partitionColumn());
    deployment.put(
        "write",
        "overwrite_partition".equals(row.rerunBehavior())
            ? Map.of("mode", "overwrite_partition", "partition_column", row.partitionColumn())
            : Map.of("mode", "append_dedup", "dedup_keys", dedupKeys));
    Map<String, Object> values = new java.util.HashMap<>();
    values.put("dag_id", row.dagId());
    values.put("modelplane_url", publicUrl.toString());
    values.put("deployment_json", toJson(deployment));
    values.put("schedule", row.schedule());
    String rendered = renderer.render(DagRenderer.SCORING_DAG, values);
    return row.toBuilder().renderedDag(rendered).build();
  }

  private DeploymentRow withStoreUri(DeploymentRow row, URI uri) {
    return row.toBuilder().dagS3Uri(uri.toString()).updatedAt(now()).build();
  }

  private DeploymentRow withLastRun(DeploymentRow row, UUID runId) {
    return row.toBuilder().lastRunId(runId).updatedAt(now()).build();
  }

  private static void checkIfMatch(DeploymentRow row, Optional<String> ifMatch) {
    if (ifMatch.isEmpty() || ifMatch.get().equals("*")) {
      return;
    }
    String etag = "\"" + row.deploymentId() + "-" + row.version() + "\"";
    if (!ifMatch.get().equals(etag)) {
      throw new PreconditionFailedException(
          "If-Match " + ifMatch.get() + " does not match the current version " + etag);
    }
  }

  private DeploymentRow load(String modelName, String name) {
    return findLive(modelName, name)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "Deployment " + name + " of model " + modelName + " not found"));
  }

  private Optional<DeploymentRow> findLive(String modelName, String name) {
    return jdbi.withHandle(handle -> DeploymentDao.findLive(handle, modelName, name));
  }

  private static DeploymentRow lock(Handle handle, UUID deploymentId) {
    return DeploymentDao.lock(handle, deploymentId)
        .orElseThrow(() -> new NotFoundException("Deployment " + deploymentId + " not found"));
  }

  private DeploymentRun getRun(UUID runId) {
    return jdbi.withHandle(handle -> DeploymentRunDao.find(handle, runId))
        .map(this::toRun)
        .orElseThrow(() -> new NotFoundException("Run " + runId + " not found"));
  }

  private Deployment toDeployment(DeploymentRow row) {
    DeploymentRun lastRun =
        row.lastRunId() == null
            ? null
            : jdbi.withExtension(DeploymentRunDao.class, dao -> dao.find(row.lastRunId()))
                .map(this::toRun)
                .orElse(null);
    return new Deployment(
        row.deploymentId(),
        row.modelName(),
        row.name(),
        row.type(),
        DeploymentStatus.of(row.status()),
        row.domain(),
        row.owner(),
        row.modelVersion(),
        row.modelAlias(),
        row.resolvedModelVersion(),
        new TableRef(row.sourceCatalog(), row.sourceSchema(), row.sourceTable()),
        row.filterSql(),
        row.snapshotId(),
        new TableRef(row.targetCatalog(), row.targetSchema(), row.targetTable()),
        fromJson(row.entityColumns(), new TypeReference<>() {}),
        row.schedule(),
        row.rerunBehavior(),
        row.partitionColumn(),
        fromJson(row.allowedRoles(), new TypeReference<>() {}),
        row.dagId(),
        row.dagS3Uri(),
        row.renderedDag(),
        row.errorMessage(),
        row.stoppedAt(),
        lastRun,
        row.version(),
        row.createdAt(),
        row.updatedAt());
  }

  private DeploymentRun toRun(DeploymentRunRow row) {
    return new DeploymentRun(
        row.runId(),
        row.deploymentId(),
        row.airflowRunId(),
        RunStatus.of(row.status()),
        row.rowsScored(),
        row.errorMessage(),
        row.modelVersion(),
        row.snapshotId(),
        row.tags() == null
            ? null
            : fromJson(row.tags(), new TypeReference<Map<String, String>>() {}),
        row.startedAt(),
        row.finishedAt(),
        row.createdAt());
  }

  private static DeploymentEvent toEvent(DeploymentEventRow row) {
    return new DeploymentEvent(
        row.eventId(),
        row.kind(),
        row.fromStatus(),
        row.toStatus(),
        row.actor(),
        row.reason(),
        row.createdAt());
  }

  /** A fingerprint of a run request; no tags and empty tags are the same request. */
  private String hash(RunRequest request) {
    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("snapshot_id", request.snapshotId());
    boolean noTags = request.tags() == null || request.tags().isEmpty();
    canonical.put("tags", noTags ? null : new TreeMap<>(request.tags()));
    return Hashes.sha256(toJson(canonical));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T fromJson(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON column", e);
    }
  }
}
