package io.modelplane.server.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code deployments}. */
@RegisterRowMapper(DeploymentRowMapper.class)
public interface DeploymentDao extends SqlObject {

  @SqlUpdate(
      """
      INSERT INTO deployments (deployment_id, model_name, name, live_name, type, status, domain,
          owner, model_version, model_alias, resolved_model_version, source_catalog,
          source_schema, source_table, filter_sql, snapshot_id, target_catalog, target_schema,
          target_table, entity_columns, schedule, rerun_behavior, partition_column,
          allowed_roles, dag_id, dag_s3_uri, rendered_dag, error_message, stopped_at,
          last_run_id, version, created_at, updated_at)
      VALUES (:deploymentId, :modelName, :name, :liveName, :type, :status, :domain,
          :owner, :modelVersion, :modelAlias, :resolvedModelVersion, :sourceCatalog,
          :sourceSchema, :sourceTable, :filterSql, :snapshotId, :targetCatalog, :targetSchema,
          :targetTable, :entityColumns, :schedule, :rerunBehavior, :partitionColumn,
          :allowedRoles, :dagId, :dagS3Uri, :renderedDag, :errorMessage, :stoppedAt,
          :lastRunId, :version, :createdAt, :updatedAt)
      """)
  void insert(@BindMethods DeploymentRow row);

  /** Writes every mutable column of the row back and bumps the version. */
  @SqlUpdate(
      """
      UPDATE deployments
         SET live_name = :liveName, status = :status, model_version = :modelVersion,
             model_alias = :modelAlias, resolved_model_version = :resolvedModelVersion,
             filter_sql = :filterSql, schedule = :schedule, rerun_behavior = :rerunBehavior,
             allowed_roles = :allowedRoles, dag_s3_uri = :dagS3Uri, rendered_dag = :renderedDag,
             error_message = :errorMessage, stopped_at = :stoppedAt, last_run_id = :lastRunId,
             version = version + 1, updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int update(@BindMethods DeploymentRow row);

  /**
   * Points the deployment at its latest run and bumps the version: what writing the whole row back
   * with a new {@code last_run_id} does, without rewriting the rendered DAG on every run callback.
   */
  static int setLastRun(Handle handle, UUID deploymentId, UUID lastRunId, Instant updatedAt) {
    return handle
        .createUpdate(
            """
            UPDATE deployments
               SET last_run_id = :lastRunId, version = version + 1, updated_at = :updatedAt
             WHERE deployment_id = :deploymentId
            """)
        .bindByType("deploymentId", deploymentId, UUID.class)
        .bindByType("lastRunId", lastRunId, UUID.class)
        .bindByType("updatedAt", updatedAt, Instant.class)
        .execute();
  }

  @SqlQuery("SELECT * FROM deployments WHERE deployment_id = :deploymentId")
  Optional<DeploymentRow> find(UUID deploymentId);

  String LOCK = "SELECT * FROM deployments WHERE deployment_id = :deploymentId FOR UPDATE";
  String FIND_LIVE =
      "SELECT * FROM deployments WHERE model_name = :modelName AND live_name = :name";

  @SqlQuery(LOCK)
  Optional<DeploymentRow> lock(UUID deploymentId);

  @SqlQuery(FIND_LIVE)
  Optional<DeploymentRow> findLive(String modelName, String name);

  // The reads of every request, on a handle without attaching this interface: JDBI prepares
  // every method of an interface on each attach, which cost more than the queries themselves.

  static Optional<DeploymentRow> lock(Handle handle, UUID deploymentId) {
    return handle
        .createQuery(LOCK)
        .bind("deploymentId", deploymentId)
        .map(DeploymentRowMapper.INSTANCE)
        .findOne();
  }

  static Optional<DeploymentRow> findLive(Handle handle, String modelName, String name) {
    return handle
        .createQuery(FIND_LIVE)
        .bind("modelName", modelName)
        .bind("name", name)
        .map(DeploymentRowMapper.INSTANCE)
        .findOne();
  }

  /** One page, newest first, after {@code after} (exclusive) when given. */
  default List<DeploymentRow> list(DeploymentFilter filter, Keyset after, int limit) {
    List<String> where = new ArrayList<>();
    if (filter.modelName() != null) {
      where.add("model_name = :modelName");
    }
    if (filter.status() != null) {
      where.add("status = :status");
    } else {
      where.add("status <> 'archived'");
    }
    if (filter.type() != null) {
      where.add("type = :type");
    }
    if (filter.domain() != null) {
      where.add("domain = :domain");
    }
    if (filter.owner() != null) {
      where.add("owner = :owner");
    }
    if (after != null) {
      where.add("(created_at, deployment_id) < (:afterCreatedAt, :afterId)");
    }
    var query =
        getHandle()
            .createQuery(
                "SELECT * FROM deployments WHERE "
                    + String.join(" AND ", where)
                    + " ORDER BY created_at DESC, deployment_id DESC LIMIT :limit")
            .bind("modelName", filter.modelName())
            .bind("status", filter.status())
            .bind("type", filter.type())
            .bind("domain", filter.domain())
            .bind("owner", filter.owner())
            .bind("limit", limit);
    if (after != null) {
      query.bind("afterCreatedAt", after.createdAt()).bind("afterId", after.id());
    }
    return query.mapTo(DeploymentRow.class).list();
  }

  @SqlUpdate(
      """
      INSERT INTO deployment_events (deployment_id, kind, from_status, to_status, actor, reason,
          created_at)
      VALUES (:deploymentId, :kind, :fromStatus, :toStatus, :actor, :reason, :createdAt)
      """)
  void insertEvent(
      UUID deploymentId,
      String kind,
      String fromStatus,
      String toStatus,
      String actor,
      String reason,
      Instant createdAt);

  @SqlQuery("SELECT * FROM deployment_events WHERE deployment_id = :deploymentId ORDER BY event_id")
  @RegisterConstructorMapper(DeploymentEventRow.class)
  List<DeploymentEventRow> events(UUID deploymentId);
}
