package io.modelplane.server.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code deployment_runs}. */
@RegisterRowMapper(DeploymentRunRowMapper.class)
public interface DeploymentRunDao extends SqlObject {

  String INSERT =
      """
      INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status, rows_scored,
          error_message, model_version, snapshot_id, tags, idempotency_key, request_hash,
          started_at, finished_at, created_at, updated_at)
      VALUES (:runId, :deploymentId, :airflowRunId, :status, :rowsScored,
          :errorMessage, :modelVersion, :snapshotId, :tags, :idempotencyKey, :requestHash,
          :startedAt, :finishedAt, :createdAt, :updatedAt)
      """;
  String UPDATE =
      """
      UPDATE deployment_runs
         SET status = :status, rows_scored = :rowsScored, error_message = :errorMessage,
             model_version = :modelVersion, started_at = :startedAt, finished_at = :finishedAt,
             updated_at = :updatedAt
       WHERE run_id = :runId
      """;

  @SqlUpdate(INSERT)
  void insert(@BindMethods DeploymentRunRow row);

  @SqlUpdate(UPDATE)
  int update(@BindMethods DeploymentRunRow row);

  /** {@link #insert(DeploymentRunRow)} on a handle, without attaching (a run callback's write). */
  static void insert(Handle handle, DeploymentRunRow row) {
    handle
        .createUpdate(INSERT)
        .bindByType("runId", row.runId(), UUID.class)
        .bindByType("deploymentId", row.deploymentId(), UUID.class)
        .bind("airflowRunId", row.airflowRunId())
        .bind("status", row.status())
        .bindByType("rowsScored", row.rowsScored(), Long.class)
        .bind("errorMessage", row.errorMessage())
        .bind("modelVersion", row.modelVersion())
        .bindByType("snapshotId", row.snapshotId(), Long.class)
        .bind("tags", row.tags())
        .bind("idempotencyKey", row.idempotencyKey())
        .bind("requestHash", row.requestHash())
        .bindByType("startedAt", row.startedAt(), Instant.class)
        .bindByType("finishedAt", row.finishedAt(), Instant.class)
        .bindByType("createdAt", row.createdAt(), Instant.class)
        .bindByType("updatedAt", row.updatedAt(), Instant.class)
        .execute();
  }

  /** {@link #update(DeploymentRunRow)} on a handle, without attaching (a run callback's write). */
  static int update(Handle handle, DeploymentRunRow row) {
    return handle
        .createUpdate(UPDATE)
        .bindByType("runId", row.runId(), UUID.class)
        .bind("status", row.status())
        .bindByType("rowsScored", row.rowsScored(), Long.class)
        .bind("errorMessage", row.errorMessage())
        .bind("modelVersion", row.modelVersion())
        .bindByType("startedAt", row.startedAt(), Instant.class)
        .bindByType("finishedAt", row.finishedAt(), Instant.class)
        .bindByType("updatedAt", row.updatedAt(), Instant.class)
        .execute();
  }

  String FIND = "SELECT * FROM deployment_runs WHERE run_id = :runId";
  String FIND_BY_AIRFLOW_RUN_ID =
      "SELECT * FROM deployment_runs WHERE deployment_id = :deploymentId"
          + " AND airflow_run_id = :airflowRunId";

  @SqlQuery(FIND)
  Optional<DeploymentRunRow> find(UUID runId);

  @SqlQuery(FIND_BY_AIRFLOW_RUN_ID)
  Optional<DeploymentRunRow> findByAirflowRunId(UUID deploymentId, String airflowRunId);

  // The reads of every run callback and run list, on a handle without attaching this interface
  // (an attach prepares every method of the interface).

  static Optional<DeploymentRunRow> find(Handle handle, UUID runId) {
    return handle
        .createQuery(FIND)
        .bind("runId", runId)
        .map(DeploymentRunRowMapper.INSTANCE)
        .findOne();
  }

  static Optional<DeploymentRunRow> findByAirflowRunId(
      Handle handle, UUID deploymentId, String airflowRunId) {
    return handle
        .createQuery(FIND_BY_AIRFLOW_RUN_ID)
        .bind("deploymentId", deploymentId)
        .bind("airflowRunId", airflowRunId)
        .map(DeploymentRunRowMapper.INSTANCE)
        .findOne();
  }

  @SqlQuery(
      "SELECT * FROM deployment_runs WHERE deployment_id = :deploymentId"
          + " AND idempotency_key = :idempotencyKey")
  Optional<DeploymentRunRow> findByIdempotencyKey(UUID deploymentId, String idempotencyKey);

  /** One page of a deployment's runs, newest first, with optional status and creation range. */
  default List<DeploymentRunRow> list(
      UUID deploymentId,
      String status,
      Instant createdAfter,
      Instant createdBefore,
      Keyset after,
      int limit) {
    return list(getHandle(), deploymentId, status, createdAfter, createdBefore, after, limit);
  }

  /** {@link #list(UUID, String, Instant, Instant, Keyset, int)} on a handle. */
  static List<DeploymentRunRow> list(
      Handle handle,
      UUID deploymentId,
      String status,
      Instant createdAfter,
      Instant createdBefore,
      Keyset after,
      int limit) {
    List<String> where = new ArrayList<>(List.of("deployment_id = :deploymentId"));
    if (status != null) {
      where.add("status = :status");
    }
    if (createdAfter != null) {
      where.add("created_at >= :createdAfter");
    }
    if (createdBefore != null) {
      where.add("created_at < :createdBefore");
    }
    if (after != null) {
      where.add("(created_at, run_id) < (:afterCreatedAt, :afterId)");
    }
    var query =
        handle
            .createQuery(
                "SELECT * FROM deployment_runs WHERE "
                    + String.join(" AND ", where)
                    + " ORDER BY created_at DESC, run_id DESC LIMIT :limit")
            .bind("deploymentId", deploymentId)
            .bind("status", status)
            .bind("createdAfter", createdAfter)
            .bind("createdBefore", createdBefore)
            .bind("limit", limit);
    if (after != null) {
      query.bind("afterCreatedAt", after.createdAt()).bind("afterId", after.id());
    }
    return query.map(DeploymentRunRowMapper.INSTANCE).list();
  }
}
