package io.modelplane.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/**
 * SQL of {@code deployments} and {@code deployment_events}. A row is never written back whole:
 * every change is a targeted {@code UPDATE} of the columns it changes, made on the row as locked by
 * {@link #lock} in the same transaction; each bumps {@code version} (the ETag).
 */
@RegisterRowMapper(DeploymentRowMapper.class)
public interface DeploymentDao extends SqlObject {

  @SqlUpdate(
      """
      INSERT INTO deployments (deployment_id, model_name, name, live_name, type, status, domain,
          owner, model_version, model_alias, resolved_model_version, source_catalog,
          source_schema, source_table, filter_sql, snapshot_id, target_catalog, target_schema,
          target_table, entity_columns, schedule, rerun_behavior, partition_column,
          allowed_roles, dag_id, dag_s3_uri, rendered_dag, error_message, stopped_at,
          last_run_id, version, created_at, updated_at, max_run_time_seconds)
      VALUES (:deploymentId, :modelName, :name, :liveName, :type, :status, :domain,
          :owner, :modelVersion, :modelAlias, :resolvedModelVersion, :sourceCatalog,
          :sourceSchema, :sourceTable, :filterSql, :snapshotId, :targetCatalog, :targetSchema,
          :targetTable, :entityColumns, :schedule, :rerunBehavior, :partitionColumn,
          :allowedRoles, :dagId, :dagS3Uri, :renderedDag, :errorMessage, :stoppedAt,
          :lastRunId, :version, :createdAt, :updatedAt, :maxRunTimeSeconds)
      """)
  void insert(@BindMethods DeploymentRow row);

  String FIND = "SELECT * FROM deployments WHERE deployment_id = :deploymentId";

  @SqlQuery(FIND)
  Optional<DeploymentRow> find(UUID deploymentId);

  /** {@link #find(UUID)} on a handle, without attaching this interface. */
  static Optional<DeploymentRow> find(Handle handle, UUID deploymentId) {
    return handle
        .createQuery(FIND)
        .bind("deploymentId", deploymentId)
        .map(DeploymentRowMapper.INSTANCE)
        .findOne();
  }

  /** The row locked until the transaction ends; what every change is computed from. */
  @SqlQuery("SELECT * FROM deployments WHERE deployment_id = :deploymentId FOR UPDATE")
  Optional<DeploymentRow> lock(UUID deploymentId);

  String FIND_LIVE =
      "SELECT * FROM deployments WHERE model_name = :modelName AND live_name = :name";

  @SqlQuery(FIND_LIVE)
  Optional<DeploymentRow> findLive(String modelName, String name);

  /**
   * {@link #findLive(String, String)} on a handle, without attaching this interface (an attach
   * prepares every method of the interface, which costs more than the query).
   */
  static Optional<DeploymentRow> findLive(Handle handle, String modelName, String name) {
    return handle
        .createQuery(FIND_LIVE)
        .bind("modelName", modelName)
        .bind("name", name)
        .map(DeploymentRowMapper.INSTANCE)
        .findOne();
  }

  /**
   * Whether {@code modelName} has a live deployment {@code name} (the authorization filter's check
   * on every deployment operation): plain JDBC, no row mapped, no JDBI statement set-up.
   */
  static boolean liveExists(Connection connection, String modelName, String name)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LIVE_EXISTS_JDBC)) {
      Jdbc.setString(statement, 1, modelName);
      Jdbc.setString(statement, 2, name);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    }
  }

  String LIVE_EXISTS_JDBC = "SELECT 1 FROM deployments WHERE model_name = ? AND live_name = ?";

  /** A PATCH: the specification columns and the DAG rendered from them. */
  @SqlUpdate(
      """
      UPDATE deployments
         SET schedule = :schedule, filter_sql = :filterSql, rerun_behavior = :rerunBehavior,
             model_version = :modelVersion, model_alias = :modelAlias,
             resolved_model_version = :resolvedModelVersion, rendered_dag = :renderedDag,
             max_run_time_seconds = :maxRunTimeSeconds,
             version = version + 1, updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateSpecification(
      UUID deploymentId,
      String schedule,
      String filterSql,
      String rerunBehavior,
      String modelVersion,
      String modelAlias,
      String resolvedModelVersion,
      String renderedDag,
      Integer maxRunTimeSeconds,
      Instant updatedAt);

  /** An alias moved: the version runs use and the DAG rendered with it. */
  @SqlUpdate(
      """
      UPDATE deployments
         SET resolved_model_version = :resolvedModelVersion, rendered_dag = :renderedDag,
             version = version + 1, updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateResolvedVersion(
      UUID deploymentId, String resolvedModelVersion, String renderedDag, Instant updatedAt);

  /**
   * A status change (only {@code DeploymentTransitions} calls it); an archived row gives up its
   * live name so that the name is free again.
   */
  @SqlUpdate(
      """
      UPDATE deployments
         SET status = :status, error_message = :errorMessage, stopped_at = :stoppedAt,
             live_name = CASE WHEN :status = 'archived' THEN NULL ELSE live_name END,
             version = version + 1, updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateStatus(
      UUID deploymentId, String status, String errorMessage, Instant stoppedAt, Instant updatedAt);

  @SqlUpdate(
      """
      UPDATE deployments SET allowed_roles = :allowedRoles, version = version + 1,
             updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateAllowedRoles(UUID deploymentId, String allowedRoles, Instant updatedAt);

  /** Points the deployment at its latest run. */
  @SqlUpdate(
      """
      UPDATE deployments SET last_run_id = :lastRunId, version = version + 1,
             updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateLastRun(UUID deploymentId, UUID lastRunId, Instant updatedAt);

  @SqlUpdate(
      """
      UPDATE deployments SET dag_s3_uri = :dagS3Uri, updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateDagUri(UUID deploymentId, String dagS3Uri, Instant updatedAt);

  /** The reason an action on Airflow failed for good, without a status change. */
  @SqlUpdate(
      """
      UPDATE deployments SET error_message = :errorMessage, version = version + 1,
             updated_at = :updatedAt
       WHERE deployment_id = :deploymentId
      """)
  int updateErrorMessage(UUID deploymentId, String errorMessage, Instant updatedAt);

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
