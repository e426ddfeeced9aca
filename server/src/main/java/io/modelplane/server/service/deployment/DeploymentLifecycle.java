package io.modelplane.server.service.deployment;

import static io.modelplane.server.service.DeploymentStatus.ACTIVE;
import static io.modelplane.server.service.DeploymentStatus.ARCHIVED;
import static io.modelplane.server.service.DeploymentStatus.DEPLOYING;
import static io.modelplane.server.service.DeploymentStatus.FAILED;
import static io.modelplane.server.service.DeploymentStatus.PENDING;
import static io.modelplane.server.service.DeploymentStatus.STOPPED;

import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentFilter;
import io.modelplane.server.db.DeploymentIdempotencyDao;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.DeploymentRunRow;
import io.modelplane.server.db.Keyset;
import io.modelplane.server.db.PlainJdbc;
import io.modelplane.server.outbox.Outbox;
import io.modelplane.server.outbox.OutboxPayload;
import io.modelplane.server.outbox.OutboxTaskKind;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.CronSchedule;
import io.modelplane.server.service.Deployment;
import io.modelplane.server.service.DeploymentChanges;
import io.modelplane.server.service.DeploymentEvent;
import io.modelplane.server.service.DeploymentStatus;
import io.modelplane.server.service.Hashes;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NewDeployment;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.PageTokens;
import io.modelplane.server.service.PreconditionFailedException;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.SqlFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch deployments: create (model resolution, DAG rendering, publishing), read, patch, roles,
 * stop, start and archive. Every change locks the row, decides the caller's right on the row as
 * locked, computes the change from it, and writes only the columns it changes; the DAG file is
 * written after commit ({@link ScoringDags#sync}) and actions on Airflow go through the outbox.
 */
public final class DeploymentLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentLifecycle.class);

  private final DeploymentRows rows;
  private final ScoringDags dags;
  private final ModelResolver models;
  private final DeploymentTransitions transitions;
  private final Optional<Outbox> outbox;
  private final DeploymentRuns runs;

  DeploymentLifecycle(
      DeploymentRows rows,
      ScoringDags dags,
      ModelResolver models,
      DeploymentTransitions transitions,
      Optional<Outbox> outbox,
      DeploymentRuns runs) {
    this.rows = rows;
    this.dags = dags;
    this.models = models;
    this.transitions = transitions;
    this.outbox = outbox;
    this.runs = runs;
  }

  // ---------------------------------------------------------------- create and read

  public Deployment create(NewDeployment request, Caller caller) {
    return create(request, caller, null);
  }

  /**
   * Creates a deployment. With an {@code idempotencyKey}, a retry of the same request by the same
   * caller returns the deployment the first call created (even once archived), not a 409; the same
   * key with another request is a 422.
   */
  public Deployment create(NewDeployment request, Caller caller, String idempotencyKey) {
    String idempotencyCaller = idempotencyKey == null ? null : idempotencyScope(caller);
    String requestHash = idempotencyKey == null ? null : rows.requestHash(request);
    if (idempotencyKey != null) {
      Optional<Deployment> replay = replay(idempotencyCaller, idempotencyKey, requestHash);
      if (replay.isPresent()) {
        return replay.get();
      }
    }
    requireOneModelReference(request.modelVersion(), request.modelAlias());
    String schedule = CronSchedule.validate(request.schedule());
    String filter =
        request.filterSql() == null
            ? null
            : SqlFilter.normalise(request.filterSql(), NewDeployment.FILTER_SQL);
    if (findLive(request.modelName(), request.name()).isPresent()) {
      throw exists(request);
    }
    String resolved =
        models.resolve(request.modelName(), request.modelVersion(), request.modelAlias(), true);
    UUID id = UUID.randomUUID();
    Instant now = transitions.now();
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
            rows.toJson(request.entityColumns()),
            schedule,
            request.rerunBehavior(),
            request.partitionColumn(),
            rows.toJson(request.allowedRoles() == null ? List.of() : request.allowedRoles()),
            "modelplane-deployment-" + id,
            null,
            null,
            null,
            null,
            null,
            1,
            now,
            now,
            request.maxRunTimeSeconds());
    DeploymentRow pending = row.toBuilder().renderedDag(dags.render(row)).build();
    try {
      rows.jdbi()
          .useTransaction(
              handle -> {
                DeploymentDao dao = handle.attach(DeploymentDao.class);
                dao.insert(pending);
                dao.insertEvent(id, "status", null, PENDING.value(), caller.name(), "created", now);
                if (idempotencyKey != null) {
                  handle
                      .attach(DeploymentIdempotencyDao.class)
                      .record(id, idempotencyCaller, idempotencyKey, requestHash);
                }
              });
    } catch (UnableToExecuteStatementException e) {
      if (idempotencyKey != null) {
        // The same key, sent twice at once: the other request created it.
        Optional<Deployment> replay = replay(idempotencyCaller, idempotencyKey, requestHash);
        if (replay.isPresent()) {
          return replay.get();
        }
      }
      if (findLive(request.modelName(), request.name()).isPresent()) {
        throw exists(request);
      }
      throw e;
    }
    LOG.info("Created deployment {} of model {} ({})", request.name(), request.modelName(), id);
    publish(id, caller.name());
    if (request.triggerNow() && outbox.isPresent()) {
      runs.triggerOnCreate(id, caller);
    }
    return toDeployment(rows.find(id).orElseThrow());
  }

  /** Whose keys a caller's key is among (hashed): the platform PSK's, or one user's. */
  private static String idempotencyScope(Caller caller) {
    return Hashes.sha256(caller.platform() ? "platform" : "user:" + caller.name());
  }

  private Optional<Deployment> replay(
      String idempotencyCaller, String idempotencyKey, String requestHash) {
    Optional<DeploymentIdempotencyDao.Created> previous =
        rows.jdbi()
            .withExtension(
                DeploymentIdempotencyDao.class, dao -> dao.find(idempotencyCaller, idempotencyKey));
    if (previous.isEmpty()) {
      return Optional.empty();
    }
    if (!requestHash.equals(previous.get().requestHash())) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.HEADER,
          "this Idempotency-Key was used with a different request body",
          "Idempotency-Key");
    }
    return rows.find(previous.get().deploymentId()).map(this::toDeployment);
  }

  /**
   * A deployment by id, archived ones included: an archived deployment gives up its name but stays
   * readable with its history.
   */
  public Deployment getById(UUID deploymentId) {
    return rows.find(deploymentId)
        .map(this::toDeployment)
        .orElseThrow(() -> new NotFoundException("Deployment " + deploymentId + " not found"));
  }

  /** The events of a deployment by id, archived ones included. */
  public List<DeploymentEvent> eventsById(UUID deploymentId) {
    getById(deploymentId);
    return rows.jdbi().withExtension(DeploymentDao.class, dao -> dao.events(deploymentId)).stream()
        .map(DeploymentRows::toEvent)
        .toList();
  }

  /** Whether a live deployment of {@code modelName} is called {@code name} now. */
  public boolean exists(String modelName, String name) {
    return PlainJdbc.withConnection(
        rows.jdbi(), connection -> DeploymentDao.liveExists(connection, modelName, name));
  }

  public Deployment get(String modelName, String name) {
    return toDeployment(rows.live(modelName, name));
  }

  public Page<Deployment> list(DeploymentFilter filter, int pageSize, String pageToken) {
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<DeploymentRow> page =
        rows.jdbi()
            .withExtension(DeploymentDao.class, dao -> dao.list(filter, after, pageSize + 1));
    String next = null;
    if (page.size() > pageSize) {
      page = page.subList(0, pageSize);
      DeploymentRow last = page.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.deploymentId()));
    }
    return new Page<>(page.stream().map(this::toDeployment).toList(), next);
  }

  public List<DeploymentEvent> events(String modelName, String name) {
    UUID id = rows.live(modelName, name).deploymentId();
    return rows.jdbi().withExtension(DeploymentDao.class, dao -> dao.events(id)).stream()
        .map(DeploymentRows::toEvent)
        .toList();
  }

  // ---------------------------------------------------------------- changes

  /** A PATCH: the new specification is computed from the locked row, and the DAG re-rendered. */
  public Deployment update(
      String modelName, String name, DeploymentChanges changes, Caller caller) {
    String schedule =
        changes.schedule().isPresent()
            ? CronSchedule.validate(changes.schedule().get().orElse(null))
            : null;
    String filter =
        changes.filterSql().isPresent()
            ? changes
                .filterSql()
                .get()
                .map(f -> SqlFilter.normalise(f, DeploymentChanges.FILTER_SQL))
                .orElse(null)
            : null;
    String resolved = null;
    if (changes.model().isPresent()) {
      DeploymentChanges.ModelChoice model = changes.model().get();
      if (!model.modelName().equals(modelName)) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.BODY,
            "model_name must be the deployment's model " + modelName,
            "model",
            "model_name");
      }
      requireOneModelReference(model.version(), model.alias());
      resolved = models.resolve(modelName, model.version(), model.alias(), true);
    }
    String newSchedule = schedule;
    String newFilter = filter;
    String newResolved = resolved;
    List<String> changed = new ArrayList<>();
    changes.schedule().ifPresent(s -> changed.add("schedule"));
    changes.filterSql().ifPresent(f -> changed.add("filter_sql"));
    changes.rerunBehavior().ifPresent(r -> changed.add("rerun_behavior"));
    changes.model().ifPresent(m -> changed.add("model"));
    changes.maxRunTimeSeconds().ifPresent(m -> changed.add("max_run_time_seconds"));
    String reason = "updated " + String.join(", ", changed) + "; DAG re-rendered";
    DeploymentRow before =
        rows.jdbi()
            .inTransaction(
                handle -> {
                  DeploymentRow locked = rows.lockForChange(handle, modelName, name, caller);
                  checkIfMatch(locked, changes.ifMatch());
                  DeploymentRow.Builder next = locked.toBuilder();
                  if (changes.schedule().isPresent()) {
                    next.schedule(newSchedule);
                  }
                  if (changes.filterSql().isPresent()) {
                    next.filterSql(newFilter);
                  }
                  changes.rerunBehavior().ifPresent(next::rerunBehavior);
                  changes
                      .maxRunTimeSeconds()
                      .ifPresent(m -> next.maxRunTimeSeconds(m.orElse(null)));
                  changes
                      .model()
                      .ifPresent(
                          m ->
                              next.modelVersion(m.version())
                                  .modelAlias(m.alias())
                                  .resolvedModelVersion(newResolved));
                  DeploymentRow updated = next.build();
                  Instant at = transitions.now();
                  DeploymentDao dao = handle.attach(DeploymentDao.class);
                  dao.updateSpecification(
                      locked.deploymentId(),
                      updated.schedule(),
                      updated.filterSql(),
                      updated.rerunBehavior(),
                      updated.modelVersion(),
                      updated.modelAlias(),
                      updated.resolvedModelVersion(),
                      dags.render(updated),
                      updated.maxRunTimeSeconds(),
                      at);
                  transitions.record(
                      dao, locked.deploymentId(), "rendered", caller.name(), reason, at);
                  return locked;
                });
    LOG.info("Deployment {} of model {} {}", name, modelName, reason);
    syncDagFile(before.deploymentId());
    if (DeploymentStatus.of(before.status()) == FAILED) {
      publish(before.deploymentId(), caller.name());
    }
    return toDeployment(rows.find(before.deploymentId()).orElseThrow());
  }

  public Deployment setAllowedRoles(
      String modelName, String name, List<String> roles, Caller caller) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(roles));
    UUID id =
        rows.jdbi()
            .inTransaction(
                handle -> {
                  DeploymentRow locked = rows.lockForChange(handle, modelName, name, caller);
                  Instant at = transitions.now();
                  DeploymentDao dao = handle.attach(DeploymentDao.class);
                  dao.updateAllowedRoles(locked.deploymentId(), rows.toJson(distinct), at);
                  transitions.record(
                      dao,
                      locked.deploymentId(),
                      "roles",
                      caller.name(),
                      "allowed_roles set to " + distinct,
                      at);
                  return locked.deploymentId();
                });
    return toDeployment(rows.find(id).orElseThrow());
  }

  /** {@code active → stopped}: the DAG is paused. Stopping a stopped deployment is a no-op. */
  public Deployment stop(String modelName, String name, Caller caller) {
    return pauseOrResume(modelName, name, STOPPED, caller, OutboxTaskKind.PAUSE_DAG, "stopped");
  }

  /** {@code stopped → active}: the DAG is unpaused. Starting an active deployment is a no-op. */
  public Deployment start(String modelName, String name, Caller caller) {
    return pauseOrResume(modelName, name, ACTIVE, caller, OutboxTaskKind.UNPAUSE_DAG, "started");
  }

  /**
   * Any → archived: its unfinished runs fail; in Airflow (through the outbox, in this order) the
   * DAG is paused, its runs are stopped and the DAG deleted (and deleted again later, see {@link
   * io.modelplane.server.outbox.OutboxWorker}); the DAG file leaves the store after commit. History
   * stays; the name is free again.
   */
  public Deployment archive(String modelName, String name, Caller caller) {
    UUID id =
        rows.jdbi()
            .inTransaction(
                handle -> {
                  DeploymentRow locked = rows.lockForChange(handle, modelName, name, caller);
                  Instant at = transitions.now();
                  DeploymentDao dao = handle.attach(DeploymentDao.class);
                  DeploymentRunDao runDao = handle.attach(DeploymentRunDao.class);
                  transitions.move(dao, locked, ARCHIVED, caller.name(), "archived", null, at);
                  List<String> stopped = new ArrayList<>();
                  for (DeploymentRunRow run : runDao.unfinished(locked.deploymentId())) {
                    transitions.moveRun(
                        runDao, run, RunStatus.FAILED, null, "deployment archived", at);
                    stopped.add(run.airflowRunId());
                  }
                  outbox.ifPresent(
                      tasks -> {
                        UUID deploymentId = locked.deploymentId();
                        String dagId = locked.dagId();
                        tasks.appendForDeployment(
                            handle,
                            OutboxTaskKind.PAUSE_DAG,
                            deploymentId,
                            null,
                            new OutboxPayload.Dag(dagId),
                            at);
                        if (!stopped.isEmpty()) {
                          tasks.appendForDeployment(
                              handle,
                              OutboxTaskKind.STOP_DAG_RUNS,
                              deploymentId,
                              null,
                              new OutboxPayload.DagRuns(dagId, stopped),
                              at);
                        }
                        tasks.appendForDeployment(
                            handle,
                            OutboxTaskKind.DELETE_DAG,
                            deploymentId,
                            null,
                            new OutboxPayload.DeleteDag(dagId, true),
                            at);
                      });
                  return locked.deploymentId();
                });
    LOG.info("Deployment {} of model {} archived by {}", name, modelName, caller.name());
    syncDagFile(id);
    return toDeployment(rows.find(id).orElseThrow());
  }

  // ---------------------------------------------------------------- internals

  private Deployment pauseOrResume(
      String modelName,
      String name,
      DeploymentStatus target,
      Caller caller,
      OutboxTaskKind kind,
      String reason) {
    UUID id =
        rows.jdbi()
            .inTransaction(
                handle -> {
                  DeploymentRow locked = rows.lockForChange(handle, modelName, name, caller);
                  if (DeploymentStatus.of(locked.status()) == target) {
                    return locked.deploymentId();
                  }
                  if (!transitions.canMove(locked, target)) {
                    throw new ConflictException(
                        "Deployment "
                            + name
                            + " is "
                            + locked.status()
                            + ": it cannot be "
                            + reason);
                  }
                  Instant at = transitions.now();
                  transitions.move(
                      handle.attach(DeploymentDao.class),
                      locked,
                      target,
                      caller.name(),
                      reason,
                      null,
                      at);
                  outbox.ifPresent(
                      tasks ->
                          tasks.appendForDeployment(
                              handle,
                              kind,
                              locked.deploymentId(),
                              null,
                              new OutboxPayload.Dag(locked.dagId()),
                              at));
                  return locked.deploymentId();
                });
    LOG.info("Deployment {} of model {} {} by {}", name, modelName, reason, caller.name());
    return toDeployment(rows.find(id).orElseThrow());
  }

  /**
   * Stores the DAG ({@code pending | failed → deploying}) and asks Airflow to unpause it through
   * the outbox; without an orchestrator the deployment is active at once. A store that fails moves
   * the deployment to {@code failed} with the reason.
   */
  void publish(UUID deploymentId, String actor) {
    rows.jdbi()
        .useTransaction(
            handle -> {
              DeploymentRow locked = rows.lock(handle, deploymentId).orElse(null);
              if (locked == null || !transitions.canMove(locked, DEPLOYING)) {
                return; // archived or published meanwhile
              }
              DeploymentDao dao = handle.attach(DeploymentDao.class);
              Instant at = transitions.now();
              java.net.URI uri;
              try {
                uri = dags.write(dao, locked);
              } catch (RuntimeException e) {
                LOG.warn("Cannot store the DAG of deployment {}: {}", deploymentId, e.getMessage());
                if (DeploymentStatus.of(locked.status()) == FAILED) {
                  dao.updateErrorMessage(
                      deploymentId,
                      io.modelplane.server.service.ErrorMessages.truncate(
                          "Cannot store the DAG: " + e.getMessage()),
                      at);
                  return;
                }
                transitions.move(
                    dao,
                    locked,
                    FAILED,
                    actor,
                    "publishing failed",
                    "Cannot store the DAG: " + e.getMessage(),
                    at);
                return;
              }
              transitions.move(dao, locked, DEPLOYING, actor, "DAG stored at " + uri, null, at);
              if (outbox.isPresent()) {
                outbox
                    .get()
                    .appendForDeployment(
                        handle,
                        OutboxTaskKind.PUBLISH_DAG,
                        deploymentId,
                        null,
                        new OutboxPayload.Dag(locked.dagId()),
                        at);
              } else {
                DeploymentRow deploying = dao.lock(deploymentId).orElseThrow();
                transitions.move(
                    dao,
                    deploying,
                    ACTIVE,
                    actor,
                    "no orchestrator configured: the DAG is stored only",
                    null,
                    at);
              }
            });
  }

  /** Writes the committed DAG to the store; a store outage leaves it for the next change. */
  private void syncDagFile(UUID deploymentId) {
    try {
      dags.sync(deploymentId);
    } catch (RuntimeException e) {
      LOG.warn(
          "DAG file of deployment {} not written (it is at the next change): {}",
          deploymentId,
          e.getMessage());
    }
  }

  private Optional<DeploymentRow> findLive(String modelName, String name) {
    return rows.jdbi().withHandle(handle -> DeploymentDao.findLive(handle, modelName, name));
  }

  private Deployment toDeployment(DeploymentRow row) {
    return rows.toDeployment(row);
  }

  private static void requireOneModelReference(String version, String alias) {
    if ((version == null) == (alias == null)) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.BODY,
          "exactly one of model_version and model_alias must be set",
          "model");
    }
  }

  private static ConflictException exists(NewDeployment request) {
    return new ConflictException(
        "Deployment " + request.name() + " of model " + request.modelName() + " already exists");
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
}
