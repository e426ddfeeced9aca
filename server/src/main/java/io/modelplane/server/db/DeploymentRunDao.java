package io.modelplane.server.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code deployment_runs}. */
@RegisterRowMapper(DeploymentRunRowMapper.class)
public interface DeploymentRunDao extends SqlObject {

  @SqlUpdate(
      """
      INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status, rows_scored,
          error_message, model_version, snapshot_id, tags, idempotency_key, request_hash,
          started_at, finished_at, created_at, updated_at, target_catalog, target_schema,
          target_table, target_overridden, settings)
      VALUES (:runId, :deploymentId, :airflowRunId, :status, :rowsScored,
          :errorMessage, :modelVersion, :snapshotId, :tags, :idempotencyKey, :requestHash,
          :startedAt, :finishedAt, :createdAt, :updatedAt, :targetCatalog, :targetSchema,
          :targetTable, :targetOverridden, :settings)
      """)
  void insert(@BindMethods DeploymentRunRow row);

  /** A status change of a run (only {@code DeploymentTransitions} calls it). */
  @SqlUpdate(
      """
      UPDATE deployment_runs
         SET status = :status, rows_scored = :rowsScored, error_message = :errorMessage,
             started_at = :startedAt, finished_at = :finishedAt, updated_at = :updatedAt
       WHERE run_id = :runId
      """)
  int updateStatus(
      UUID runId,
      String status,
      Long rowsScored,
      String errorMessage,
      Instant startedAt,
      Instant finishedAt,
      Instant updatedAt);

  @SqlQuery("SELECT * FROM deployment_runs WHERE run_id = :runId")
  Optional<DeploymentRunRow> find(UUID runId);

  @SqlQuery(
      "SELECT * FROM deployment_runs WHERE deployment_id = :deploymentId"
          + " AND airflow_run_id = :airflowRunId")
  Optional<DeploymentRunRow> findByAirflowRunId(UUID deploymentId, String airflowRunId);

  @SqlQuery(
      "SELECT * FROM deployment_runs WHERE deployment_id = :deploymentId"
          + " AND idempotency_key = :idempotencyKey")
  Optional<DeploymentRunRow> findByIdempotencyKey(UUID deploymentId, String idempotencyKey);

  /** The runs of a deployment that are not over yet (queued or running). */
  @SqlQuery(
      "SELECT * FROM deployment_runs WHERE deployment_id = :deploymentId"
          + " AND status IN ('queued', 'running') ORDER BY created_at")
  List<DeploymentRunRow> unfinished(UUID deploymentId);

  /** One page of a deployment's runs, newest first, with optional status and creation range. */
  default List<DeploymentRunRow> list(
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
        getHandle()
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

  /**
   * One page of runs across deployments ({@code GET /api/runs}). The order is a keyset over {@code
   * (created_at, run_id)} or {@code (status, created_at, run_id)}, all ascending or all descending,
   * so that every page is one range of the matching index.
   */
  default List<DeploymentRunRow> listAcross(RunListFilter filter, int limit) {
    List<String> where = new ArrayList<>(List.of("1 = 1"));
    if (filter.deploymentId() != null) {
      where.add("r.deployment_id = :deploymentId");
    }
    if (filter.owner() != null) {
      where.add(
          "r.deployment_id IN (SELECT d.deployment_id FROM deployments d WHERE d.owner = :owner)");
    }
    List<String> statuses = filter.statuses() == null ? List.of() : filter.statuses();
    if (!statuses.isEmpty()) {
      where.add("r.status IN (<statuses>)");
    }
    if (filter.createdAfter() != null) {
      where.add("r.created_at >= :createdAfter");
    }
    if (filter.createdBefore() != null) {
      where.add("r.created_at < :createdBefore");
    }
    String direction = filter.descending() ? "DESC" : "ASC";
    String comparison = filter.descending() ? "<" : ">";
    RunListFilter.RunCursor after = filter.after();
    if (after != null) {
      where.add(
          filter.byStatus()
              ? "(r.status, r.created_at, r.run_id) "
                  + comparison
                  + " (:afterStatus, :afterAt, :afterId)"
              : "(r.created_at, r.run_id) " + comparison + " (:afterAt, :afterId)");
    }
    String order =
        (filter.byStatus() ? "r.status " + direction + ", " : "")
            + "r.created_at "
            + direction
            + ", r.run_id "
            + direction;
    var query =
        getHandle()
            .createQuery(
                "SELECT r.* FROM deployment_runs r WHERE "
                    + String.join(" AND ", where)
                    + " ORDER BY "
                    + order
                    + " LIMIT :limit")
            .bind("deploymentId", filter.deploymentId())
            .bind("owner", filter.owner())
            .bind("createdAfter", filter.createdAfter())
            .bind("createdBefore", filter.createdBefore())
            .bind("limit", limit);
    if (!statuses.isEmpty()) {
      query.bindList("statuses", statuses);
    }
    if (after != null) {
      query
          .bind("afterStatus", after.status())
          .bind("afterAt", after.createdAt())
          .bind("afterId", after.runId());
    }
    return query.map(DeploymentRunRowMapper.INSTANCE).list();
  }
}
