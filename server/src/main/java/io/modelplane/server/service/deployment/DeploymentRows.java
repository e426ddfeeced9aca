package io.modelplane.server.service.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentEventRow;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.db.DeploymentRunDao;
import io.modelplane.server.db.DeploymentRunRow;
import io.modelplane.server.service.AccessPolicy;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.Deployment;
import io.modelplane.server.service.DeploymentEvent;
import io.modelplane.server.service.DeploymentRun;
import io.modelplane.server.service.DeploymentStatus;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.TableRef;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reading deployments and their runs, and the locked read every change starts from: {@link
 * #lockForChange} finds the live deployment, locks it, and decides the caller's right on the row as
 * locked, so that what authorizes a change is what the change is computed from.
 */
final class DeploymentRows {
  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final AccessPolicy policy;
  private volatile Boolean postgres;

  DeploymentRows(Jdbi jdbi, ObjectMapper json, AccessPolicy policy) {
    this.jdbi = jdbi;
    this.json = json;
    this.policy = policy;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /**
   * The live deployment {@code name} of {@code modelName}, locked until the transaction ends, that
   * {@code caller} may invoke or manage.
   *
   * @throws NotFoundException when there is no such live deployment (also when it was archived or
   *     renamed while this transaction waited for the lock)
   * @throws io.modelplane.server.service.ForbiddenException when the locked row does not allow the
   *     caller
   */
  DeploymentRow lockForChange(Handle handle, String modelName, String name, Caller caller) {
    DeploymentDao dao = handle.attach(DeploymentDao.class);
    DeploymentRow locked =
        dao.findLive(modelName, name)
            .flatMap(found -> dao.lock(found.deploymentId()))
            .filter(row -> name.equals(row.liveName()) && modelName.equals(row.modelName()))
            .orElseThrow(() -> notFound(modelName, name));
    policy.requireDeploymentAccess(caller, allowedRoles(locked), locked.owner(), name);
    return locked;
  }

  /** A deployment by id, locked (for the outbox's outcomes, which carry the id). */
  Optional<DeploymentRow> lock(Handle handle, UUID deploymentId) {
    return handle.attach(DeploymentDao.class).lock(deploymentId);
  }

  DeploymentRow live(String modelName, String name) {
    return jdbi.withHandle(handle -> DeploymentDao.findLive(handle, modelName, name))
        .orElseThrow(() -> notFound(modelName, name));
  }

  Optional<DeploymentRow> find(UUID deploymentId) {
    return jdbi.withHandle(handle -> DeploymentDao.find(handle, deploymentId));
  }

  Optional<DeploymentRunRow> findRun(UUID runId) {
    return jdbi.withHandle(handle -> DeploymentRunDao.find(handle, runId));
  }

  /** Whether {@code caller} may change {@code row} as read (not locked). */
  boolean mayChange(DeploymentRow row, Caller caller) {
    return policy.canAccessDeployment(caller, allowedRoles(row), row.owner());
  }

  /** True on PostgreSQL, where some changes are one statement; found out once, on first use. */
  boolean onPostgres() {
    Boolean known = postgres;
    if (known == null) {
      try {
        known =
            jdbi.withHandle(
                handle ->
                    "PostgreSQL"
                        .equals(handle.getConnection().getMetaData().getDatabaseProductName()));
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot tell which database this is", e);
      }
      postgres = known;
    }
    return known;
  }

  static NotFoundException notFound(String modelName, String name) {
    return new NotFoundException("Deployment " + name + " of model " + modelName + " not found");
  }

  Set<String> allowedRoles(DeploymentRow row) {
    return Set.copyOf(fromJson(row.allowedRoles(), new TypeReference<List<String>>() {}));
  }

  List<String> entityColumns(DeploymentRow row) {
    return fromJson(row.entityColumns(), new TypeReference<List<String>>() {});
  }

  Deployment toDeployment(DeploymentRow row) {
    DeploymentRun lastRun =
        row.lastRunId() == null
            ? null
            : findRun(row.lastRunId()).map(run -> toRun(run, row)).orElse(null);
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
        entityColumns(row),
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
        row.updatedAt(),
        row.maxRunTimeSeconds());
  }

  /** A run, with its deployment read for the model and name. */
  DeploymentRun toRun(DeploymentRunRow row) {
    return toRun(row, find(row.deploymentId()).orElseThrow());
  }

  /** The run a callback statement changed, with its deployment as the statement returned it. */
  DeploymentRun toRun(DeploymentRunDao.Callback callback) {
    DeploymentRunDao.CallbackDeployment deployment = callback.deployment();
    return toRun(
        callback.row(),
        deployment.modelName(),
        deployment.name(),
        deployment.targetCatalog(),
        deployment.targetSchema(),
        deployment.targetTable());
  }

  /** A run of {@code deployment}. */
  DeploymentRun toRun(DeploymentRunRow row, DeploymentRow deployment) {
    return toRun(
        row,
        deployment.modelName(),
        deployment.name(),
        deployment.targetCatalog(),
        deployment.targetSchema(),
        deployment.targetTable());
  }

  private DeploymentRun toRun(
      DeploymentRunRow row,
      String modelName,
      String name,
      String deploymentTargetCatalog,
      String deploymentTargetSchema,
      String deploymentTargetTable) {
    // A run recorded before V10 with no target on its row wrote its deployment's target.
    TableRef target =
        row.targetTable() == null
            ? new TableRef(deploymentTargetCatalog, deploymentTargetSchema, deploymentTargetTable)
            : new TableRef(row.targetCatalog(), row.targetSchema(), row.targetTable());
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
        row.createdAt(),
        modelName,
        name,
        target,
        row.targetOverridden(),
        row.settings() == null
            ? null
            : fromJson(row.settings(), new TypeReference<Map<String, Object>>() {}));
  }

  static DeploymentEvent toEvent(DeploymentEventRow row) {
    return new DeploymentEvent(
        row.eventId(),
        row.kind(),
        row.fromStatus(),
        row.toStatus(),
        row.actor(),
        row.reason(),
        row.createdAt());
  }

  /** The SHA-256 of a create request, to tell a retry from another request under one key. */
  String requestHash(io.modelplane.server.service.NewDeployment request) {
    return io.modelplane.server.service.Hashes.sha256(toJson(request));
  }

  String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  <T> T fromJson(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON column", e);
    }
  }
}
