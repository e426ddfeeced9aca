package io.modelplane.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
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

  String FIND = "SELECT * FROM deployment_runs WHERE run_id = :runId";

  @SqlQuery(FIND)
  Optional<DeploymentRunRow> find(UUID runId);

  /** {@link #find(UUID)} on a handle, without attaching this interface. */
  static Optional<DeploymentRunRow> find(Handle handle, UUID runId) {
    return handle
        .createQuery(FIND)
        .bind("runId", runId)
        .map(DeploymentRunRowMapper.INSTANCE)
        .findOne();
  }

  /**
   * See {@link #callbackInOneStatement}. {@code <authorizedOn>} and {@code <fromStatuses>} are
   * filled in once per shape by {@link CallbackStatement}; the rest are named parameters.
   */
  String CALLBACK_IN_ONE_STATEMENT =
      """
        WITH dep AS MATERIALIZED (
            SELECT deployment_id, model_name, name, resolved_model_version, snapshot_id,
                   target_catalog, target_schema, target_table FROM deployments
             WHERE model_name = :modelName AND live_name = :liveName
               AND model_alias IS NULL <authorizedOn>
               FOR UPDATE
        ), cur AS MATERIALIZED (
            SELECT * FROM deployment_runs
             WHERE deployment_id = (SELECT deployment_id FROM dep)
               AND airflow_run_id = :airflowRunId
               FOR UPDATE
        ), moved AS (
            UPDATE deployment_runs r
               SET status = :toStatus,
                   rows_scored = COALESCE(CAST(:rowsScored AS BIGINT), r.rows_scored),
                   error_message = CAST(:errorMessage AS VARCHAR(8000)),
                   started_at =
                       COALESCE(r.started_at, CAST(:startedAt AS TIMESTAMP WITH TIME ZONE)),
                   finished_at = CAST(:finishedAt AS TIMESTAMP WITH TIME ZONE),
                   updated_at = CAST(:now AS TIMESTAMP WITH TIME ZONE)
              FROM cur
             WHERE r.run_id = cur.run_id AND cur.reconciled_at IS NULL
               AND cur.status IN (<fromStatuses>) AND cur.status <> :toStatus
            RETURNING r.*
        ), inserted AS (
            INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status,
                rows_scored, error_message, model_version, snapshot_id, started_at,
                finished_at, created_at, updated_at, target_catalog, target_schema,
                target_table)
            SELECT CAST(:newRunId AS UUID), dep.deployment_id,
                   CAST(:airflowRunId AS VARCHAR(250)), CAST(:toStatus AS VARCHAR(20)),
                   CAST(:rowsScored AS BIGINT), CAST(:errorMessage AS VARCHAR(8000)),
                   dep.resolved_model_version, dep.snapshot_id,
                   CAST(:startedAt AS TIMESTAMP WITH TIME ZONE),
                   CAST(:finishedAt AS TIMESTAMP WITH TIME ZONE),
                   CAST(:now AS TIMESTAMP WITH TIME ZONE),
                   CAST(:now AS TIMESTAMP WITH TIME ZONE),
                   dep.target_catalog, dep.target_schema, dep.target_table
              FROM dep WHERE NOT EXISTS (SELECT 1 FROM cur)
            RETURNING *
        ), last_run AS (
            UPDATE deployments d
               SET last_run_id = w.run_id, version = d.version + 1,
                   updated_at = CAST(:now AS TIMESTAMP WITH TIME ZONE)
              FROM (SELECT run_id FROM moved UNION ALL SELECT run_id FROM inserted) w
             WHERE d.deployment_id = (SELECT deployment_id FROM dep)
        ), feed AS (
            INSERT INTO platform_events
                (event_type, subject_id, from_value, to_value, data, created_at)
            SELECT 'deployment_run.status_changed', w.run_id, w.from_status, w.status,
                   CAST(json_build_object('deployment_id', w.deployment_id,
                       'run_id', w.run_id, 'airflow_run_id', w.airflow_run_id,
                       'rows_scored', w.rows_scored,
                       'error_message', w.error_message) AS VARCHAR(100000)),
                   CAST(:now AS TIMESTAMP WITH TIME ZONE)
              FROM (SELECT moved.*, cur.status AS from_status
                      FROM moved JOIN cur ON cur.run_id = moved.run_id
                    UNION ALL
                    SELECT inserted.*, CAST(NULL AS VARCHAR(20)) FROM inserted) w
        )
        SELECT 'MOVED' AS outcome, cur.status AS previous_status, FALSE AS reconciled,
               dep.model_name AS dep_model_name, dep.name AS dep_name,
               dep.target_catalog AS dep_target_catalog, dep.target_schema AS dep_target_schema,
               dep.target_table AS dep_target_table, moved.*
          FROM moved JOIN cur ON cur.run_id = moved.run_id CROSS JOIN dep
        UNION ALL
        SELECT 'INSERTED', CAST(NULL AS VARCHAR(20)), FALSE, dep.model_name, dep.name,
               dep.target_catalog, dep.target_schema, dep.target_table, inserted.*
          FROM inserted CROSS JOIN dep
        UNION ALL
        SELECT 'UNCHANGED', cur.status, cur.reconciled_at IS NOT NULL, dep.model_name,
               dep.name, dep.target_catalog, dep.target_schema, dep.target_table, cur.*
          FROM cur CROSS JOIN dep WHERE NOT EXISTS (SELECT 1 FROM moved)
        """;

  /** What {@link #callbackInOneStatement} did, and the run as it is now. */
  enum CallbackOutcome {
    /** The run did not exist: created with the reported status. */
    INSERTED,
    /** The run moved from {@link Callback#previousStatus()} to the reported status. */
    MOVED,
    /** Not written: the same status, a move the state machine refuses, or a reconciled run. */
    UNCHANGED
  }

  /**
   * The outcome of a run callback, the run's status before it, whether the reconcile loop had ended
   * the run, the run as it is now, and the deployment it belongs to (as locked by the statement:
   * what the answer names, so that nothing is read again for it).
   */
  record Callback(
      CallbackOutcome outcome,
      String previousStatus,
      boolean reconciled,
      DeploymentRunRow row,
      CallbackDeployment deployment) {}

  /** The model, name and target table of the deployment a callback changed. */
  record CallbackDeployment(
      String modelName,
      String name,
      String targetCatalog,
      String targetSchema,
      String targetTable) {}

  /**
   * The deployment row a caller was authorized on, as read before the change: the change only
   * happens while the locked row still has this id, these roles and this owner.
   */
  record AuthorizedOn(UUID deploymentId, String allowedRoles, String owner) {}

  /**
   * A run callback on PostgreSQL in one statement, so in one round trip and one implicit
   * transaction. It locks the live deployment {@code liveName} of {@code modelName} first, only if
   * it follows no model alias and (when {@code authorizedOn} is given) still is the row the caller
   * was authorized on, then the run by its Airflow run id. A run seen for the first time is
   * inserted (with the deployment's resolved model version and snapshot); an existing one moves to
   * {@code toStatus} if its status is one of {@code fromStatuses}, is not {@code toStatus} already
   * and the reconcile loop has not ended it. A change points the deployment at the run; a move also
   * appends its {@code deployment_run.status_changed} event to the feed ({@code platform_events}),
   * with the data {@code EventLog.deploymentRunStatusChanged} writes. Empty when no deployment
   * matched (the caller then decides in a transaction on the locked row).
   *
   * <p>Plain JDBC on the handle's connection, with the SQL of each shape (authorized or not, how
   * many source statuses) built once ({@link CallbackStatement}): JDBI's per-statement set-up
   * (configuration copies, template rendering, argument factory look-ups for 14 bindings) cost more
   * server CPU than the rest of the request.
   *
   * @param item what to do ({@link CallbackItem})
   */
  static Optional<Callback> callbackInOneStatement(Connection connection, CallbackItem item)
      throws SQLException {
    Optional<AuthorizedOn> authorizedOn = item.authorizedOn();
    List<String> fromStatuses = item.fromStatuses();
    CallbackStatement sql = CallbackStatement.of(authorizedOn.isPresent(), fromStatuses.size());
    try (PreparedStatement statement = connection.prepareStatement(sql.sql())) {
      int i = 0;
      for (String name : sql.parameters()) {
        i++;
        switch (name) {
          case "modelName" -> Jdbc.setString(statement, i, item.modelName());
          case "liveName" -> Jdbc.setString(statement, i, item.liveName());
          case "airflowRunId" -> Jdbc.setString(statement, i, item.airflowRunId());
          case "toStatus" -> Jdbc.setString(statement, i, item.toStatus());
          case "rowsScored" -> Jdbc.setLong(statement, i, item.rowsScored());
          case "errorMessage" -> Jdbc.setString(statement, i, item.errorMessage());
          case "startedAt" -> Jdbc.setInstant(statement, i, item.startedAt());
          case "finishedAt" -> Jdbc.setInstant(statement, i, item.finishedAt());
          case "newRunId" -> Jdbc.setUuid(statement, i, item.newRunId());
          case "now" -> Jdbc.setInstant(statement, i, item.now());
          case "deploymentId" -> Jdbc.setUuid(statement, i, authorizedOn.get().deploymentId());
          case "allowedRoles" -> Jdbc.setString(statement, i, authorizedOn.get().allowedRoles());
          case "owner" -> Jdbc.setString(statement, i, authorizedOn.get().owner());
          default -> {
            if (!name.startsWith(CallbackStatement.FROM_STATUS)) {
              throw new IllegalStateException("unbound parameter " + name);
            }
            Jdbc.setString(
                statement,
                i,
                fromStatuses.get(
                    Integer.parseInt(name.substring(CallbackStatement.FROM_STATUS.length()))));
          }
        }
      }
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Callback callback = callbackOf(rs);
        if (rs.next()) {
          throw new IllegalStateException("the run callback statement returned several rows");
        }
        return Optional.of(callback);
      }
    }
  }

  /**
   * One run callback, the arguments of {@link #callbackInOneStatement} (alone) or of {@link
   * #callbackBatch} (with others).
   *
   * @param authorizedOn empty for a caller that may change any deployment (the platform)
   * @param fromStatuses the statuses the run may move to {@code toStatus} from
   * @param rowsScored the new count, or null to keep it
   * @param startedAt the start time of a run that has none yet (null: keep)
   * @param newRunId the id of the run if it is seen for the first time
   */
  record CallbackItem(
      String modelName,
      String liveName,
      Optional<AuthorizedOn> authorizedOn,
      String airflowRunId,
      List<String> fromStatuses,
      String toStatus,
      Long rowsScored,
      String errorMessage,
      Instant startedAt,
      Instant finishedAt,
      UUID newRunId,
      Instant now) {

    /** Two callbacks of one run never share a batch ({@link #callbackBatch}). */
    public RunKey run() {
      return new RunKey(modelName, liveName, airflowRunId);
    }
  }

  /** A run as a callback names it: its deployment's model and live name, its Airflow run id. */
  record RunKey(String modelName, String liveName, String airflowRunId) {}

  /**
   * {@link #CALLBACK_IN_ONE_STATEMENT} for several callbacks ({@link #callbackBatch}): the input is
   * one row per item ({@code item} is its 1-based index), each CTE carries the item, and every
   * write that the one-item statement makes once is made here per item, in item order.
   */
  String CALLBACK_BATCH =
      """
        WITH input AS (
            SELECT * FROM unnest(
                CAST(:modelNames AS VARCHAR[]), CAST(:liveNames AS VARCHAR[]),
                CAST(:authorizedIds AS UUID[]), CAST(:authorizedRoles AS VARCHAR[]),
                CAST(:authorizedOwners AS VARCHAR[]), CAST(:airflowRunIds AS VARCHAR[]),
                CAST(:sources AS VARCHAR[]), CAST(:toStatuses AS VARCHAR[]),
                CAST(:rowsScored AS BIGINT[]), CAST(:errorMessages AS VARCHAR[]),
                CAST(:startedAts AS TIMESTAMP WITH TIME ZONE[]),
                CAST(:finishedAts AS TIMESTAMP WITH TIME ZONE[]), CAST(:newRunIds AS UUID[]),
                CAST(:nows AS TIMESTAMP WITH TIME ZONE[]))
                WITH ORDINALITY AS i(model_name, live_name, authorized_id, authorized_roles,
                    authorized_owner, airflow_run_id, sources, to_status, rows_scored,
                    error_message, started_at, finished_at, new_run_id, at, item)
        ), locked AS MATERIALIZED (
            SELECT deployment_id, model_name, live_name, name, allowed_roles, owner,
                   resolved_model_version, snapshot_id, target_catalog, target_schema,
                   target_table FROM deployments
             WHERE (model_name, live_name) IN (SELECT model_name, live_name FROM input)
               AND model_alias IS NULL
             ORDER BY deployment_id
               FOR UPDATE
        ), dep AS MATERIALIZED (
            SELECT i.item, d.* FROM input i
              JOIN locked d ON d.model_name = i.model_name AND d.live_name = i.live_name
             WHERE i.authorized_id IS NULL
                OR (d.deployment_id = i.authorized_id AND d.allowed_roles = i.authorized_roles
                    AND d.owner = i.authorized_owner)
        ), cur AS MATERIALIZED (
            SELECT dep.item, r.* FROM deployment_runs r
              JOIN dep ON dep.deployment_id = r.deployment_id
              JOIN input i ON i.item = dep.item AND i.airflow_run_id = r.airflow_run_id
             ORDER BY r.run_id
               FOR UPDATE OF r
        ), moved AS (
            UPDATE deployment_runs r
               SET status = i.to_status,
                   rows_scored = COALESCE(i.rows_scored, r.rows_scored),
                   error_message = i.error_message,
                   started_at = COALESCE(r.started_at, i.started_at),
                   finished_at = i.finished_at,
                   updated_at = i.at
              FROM cur JOIN input i ON i.item = cur.item
             WHERE r.run_id = cur.run_id AND cur.reconciled_at IS NULL
               AND cur.status = ANY (string_to_array(i.sources, ','))
               AND cur.status <> i.to_status
            RETURNING i.item, r.*
        ), inserted AS (
            INSERT INTO deployment_runs (run_id, deployment_id, airflow_run_id, status,
                rows_scored, error_message, model_version, snapshot_id, started_at,
                finished_at, created_at, updated_at, target_catalog, target_schema,
                target_table)
            SELECT i.new_run_id, dep.deployment_id, i.airflow_run_id, i.to_status,
                   i.rows_scored, i.error_message, dep.resolved_model_version, dep.snapshot_id,
                   i.started_at, i.finished_at, i.at, i.at,
                   dep.target_catalog, dep.target_schema, dep.target_table
              FROM input i JOIN dep ON dep.item = i.item
             WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.item = i.item)
             ORDER BY i.item
            RETURNING *
        ), created AS (
            SELECT i.item, n.* FROM inserted n JOIN input i ON i.new_run_id = n.run_id
        ), changed AS (
            SELECT m.item, cur.status AS from_status, m.run_id, m.deployment_id,
                   m.airflow_run_id, m.status, m.rows_scored, m.error_message
              FROM moved m JOIN cur ON cur.item = m.item
            UNION ALL
            SELECT c.item, CAST(NULL AS VARCHAR(20)), c.run_id, c.deployment_id,
                   c.airflow_run_id, c.status, c.rows_scored, c.error_message
              FROM created c
        ), last_run AS (
            UPDATE deployments d
               SET last_run_id = w.run_id, version = d.version + w.changes, updated_at = w.at
              FROM (SELECT DISTINCT ON (c.deployment_id) c.deployment_id, c.run_id, i.at,
                           count(*) OVER (PARTITION BY c.deployment_id) AS changes
                      FROM changed c JOIN input i ON i.item = c.item
                     ORDER BY c.deployment_id, c.item DESC) w
             WHERE d.deployment_id = w.deployment_id
        ), feed AS (
            INSERT INTO platform_events
                (event_type, subject_id, from_value, to_value, data, created_at)
            SELECT 'deployment_run.status_changed', c.run_id, c.from_status, c.status,
                   CAST(json_build_object('deployment_id', c.deployment_id,
                       'run_id', c.run_id, 'airflow_run_id', c.airflow_run_id,
                       'rows_scored', c.rows_scored,
                       'error_message', c.error_message) AS VARCHAR(100000)),
                   i.at
              FROM changed c JOIN input i ON i.item = c.item
             ORDER BY c.item
        )
        SELECT 'MOVED' AS outcome, cur.status AS previous_status, FALSE AS reconciled,
               dep.model_name AS dep_model_name, dep.name AS dep_name,
               dep.target_catalog AS dep_target_catalog, dep.target_schema AS dep_target_schema,
               dep.target_table AS dep_target_table, m.*
          FROM moved m JOIN cur ON cur.item = m.item JOIN dep ON dep.item = m.item
        UNION ALL
        SELECT 'INSERTED', CAST(NULL AS VARCHAR(20)), FALSE, dep.model_name, dep.name,
               dep.target_catalog, dep.target_schema, dep.target_table, c.*
          FROM created c JOIN dep ON dep.item = c.item
        UNION ALL
        SELECT 'UNCHANGED', cur.status, cur.reconciled_at IS NOT NULL, dep.model_name,
               dep.name, dep.target_catalog, dep.target_schema, dep.target_table, cur.*
          FROM cur JOIN dep ON dep.item = cur.item
         WHERE NOT EXISTS (SELECT 1 FROM moved m WHERE m.item = cur.item)
        """;

  /** {@link #CALLBACK_BATCH} with JDBC placeholders, and its parameters in order. */
  Jdbc.NamedSql CALLBACK_BATCH_JDBC = Jdbc.NamedSql.parse(CALLBACK_BATCH);

  /**
   * Several run callbacks on PostgreSQL in one statement, so in one round trip and one commit
   * (group commit): each item does exactly what {@link #callbackInOneStatement} does for it alone,
   * as if the items ran one after the other in their order, and its outcome is at the item's index
   * (empty when no deployment matched it). The deployments are locked in {@code deployment_id}
   * order, then the runs in {@code run_id} order, so two batches (or a batch and any change that
   * locks a deployment before its runs) never deadlock. A deployment changed by several items ends
   * as the last of them leaves it: its last run is the last item's, its version grows by one per
   * change. Every run may appear once: two callbacks of one run in a statement would both read its
   * status from before either.
   */
  static List<Optional<Callback>> callbackBatch(Connection connection, List<CallbackItem> items)
      throws SQLException {
    int n = items.size();
    if (new HashSet<>(items.stream().map(CallbackItem::run).toList()).size() < n) {
      throw new IllegalArgumentException("a run twice in one batch of callbacks");
    }
    Map<String, List<Object>> columns = new HashMap<>();
    for (CallbackItem item : items) {
      Optional<AuthorizedOn> on = item.authorizedOn();
      add(columns, "modelNames", item.modelName());
      add(columns, "liveNames", item.liveName());
      add(columns, "authorizedIds", on.map(AuthorizedOn::deploymentId).orElse(null));
      add(columns, "authorizedRoles", on.map(AuthorizedOn::allowedRoles).orElse(null));
      add(columns, "authorizedOwners", on.map(AuthorizedOn::owner).orElse(null));
      add(columns, "airflowRunIds", item.airflowRunId());
      add(columns, "sources", String.join(",", item.fromStatuses()));
      add(columns, "toStatuses", item.toStatus());
      add(columns, "rowsScored", item.rowsScored());
      add(columns, "errorMessages", item.errorMessage());
      add(columns, "startedAts", item.startedAt());
      add(columns, "finishedAts", item.finishedAt());
      add(columns, "newRunIds", item.newRunId());
      add(columns, "nows", item.now());
    }
    List<Optional<Callback>> outcomes = new ArrayList<>(Collections.nCopies(n, Optional.empty()));
    try (PreparedStatement statement = connection.prepareStatement(CALLBACK_BATCH_JDBC.sql())) {
      List<String> parameters = CALLBACK_BATCH_JDBC.parameters();
      for (int i = 0; i < parameters.size(); i++) {
        // Every column as text, cast by the statement: one array type for all of them.
        String[] values =
            columns.get(parameters.get(i)).stream()
                .map(value -> value == null ? null : value.toString())
                .toArray(String[]::new);
        statement.setArray(i + 1, connection.createArrayOf("varchar", values));
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          outcomes.set(rs.getInt("item") - 1, Optional.of(callbackOf(rs)));
        }
      }
    }
    return outcomes;
  }

  private static void add(Map<String, List<Object>> columns, String column, Object value) {
    columns.computeIfAbsent(column, any -> new ArrayList<>()).add(value);
  }

  /** The outcome that a callback statement returned in the current row of {@code rs}. */
  private static Callback callbackOf(ResultSet rs) throws SQLException {
    return new Callback(
        CallbackOutcome.valueOf(rs.getString("outcome")),
        rs.getString("previous_status"),
        rs.getBoolean("reconciled"),
        DeploymentRunRowMapper.INSTANCE.map(rs, null),
        new CallbackDeployment(
            rs.getString("dep_model_name"),
            rs.getString("dep_name"),
            rs.getString("dep_target_catalog"),
            rs.getString("dep_target_schema"),
            rs.getString("dep_target_table")));
  }

  /** The SQL of {@link #callbackInOneStatement} for one shape, with its parameters in order. */
  record CallbackStatement(String sql, List<String> parameters) {
    static final String FROM_STATUS = "fromStatus";
    private static final Map<Integer, CallbackStatement> SHAPES = new ConcurrentHashMap<>();

    static CallbackStatement of(boolean authorized, int fromStatuses) {
      return SHAPES.computeIfAbsent(
          fromStatuses * 2 + (authorized ? 1 : 0),
          key -> {
            StringBuilder sources = new StringBuilder();
            for (int i = 0; i < fromStatuses; i++) {
              sources.append(i == 0 ? "" : ", ").append(':').append(FROM_STATUS).append(i);
            }
            var named =
                Jdbc.NamedSql.parse(
                    CALLBACK_IN_ONE_STATEMENT
                        .replace(
                            "<authorizedOn>",
                            authorized
                                ? "AND deployment_id = :deploymentId"
                                    + " AND allowed_roles = :allowedRoles AND owner = :owner"
                                : "")
                        // As JDBI's EmptyHandling.NULL_KEYWORD: "IN (NULL)" matches nothing.
                        .replace(
                            "<fromStatuses>", fromStatuses == 0 ? "NULL" : sources.toString()));
            return new CallbackStatement(named.sql(), named.parameters());
          });
    }
  }

  @SqlQuery(
      "SELECT * FROM deployment_runs WHERE deployment_id = :deploymentId"
          + " AND airflow_run_id = :airflowRunId")
  Optional<DeploymentRunRow> findByAirflowRunId(UUID deploymentId, String airflowRunId);

  /**
   * The id of the deployment's newest run named {@code manual__<time>} (the local executor's
   * triggers, created at the time their id names), or null.
   */
  @SqlQuery(
      """
      SELECT airflow_run_id FROM deployment_runs
       WHERE deployment_id = :deploymentId AND airflow_run_id LIKE 'manual%'
       ORDER BY created_at DESC, airflow_run_id DESC
       LIMIT 1
      """)
  String latestManualRunId(UUID deploymentId);

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
  /** Up to this many deployments of an owner, its runs are read one deployment at a time. */
  int OWNER_BRANCHES = 100;

  default List<DeploymentRunRow> listAcross(RunListFilter filter, int limit) {
    List<String> where = new ArrayList<>(List.of("1 = 1"));
    if (filter.deploymentId() != null) {
      where.add("r.deployment_id = :deploymentId");
    }
    // An owner's runs: one index range per deployment of the owner (each at most a page long),
    // merged, when the owner has few deployments; a scan of every run in the list's order,
    // keeping the owner's, would read ever more rows as the other owners' runs grow.
    List<UUID> ownerDeployments = null;
    if (filter.owner() != null && filter.deploymentId() == null) {
      List<UUID> ids =
          getHandle()
              .createQuery("SELECT deployment_id FROM deployments WHERE owner = :owner")
              .bind("owner", filter.owner())
              .mapTo(UUID.class)
              .list();
      if (ids.isEmpty()) {
        return List.of();
      }
      if (ids.size() <= OWNER_BRANCHES) {
        ownerDeployments = ids;
      }
    }
    if (filter.owner() != null && ownerDeployments == null) {
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
    String sql;
    if (ownerDeployments == null) {
      sql =
          "SELECT r.* FROM deployment_runs r WHERE "
              + String.join(" AND ", where)
              + " ORDER BY "
              + order
              + " LIMIT :limit";
    } else {
      List<String> branches = new ArrayList<>();
      for (int i = 0; i < ownerDeployments.size(); i++) {
        branches.add(
            "(SELECT r.* FROM deployment_runs r WHERE r.deployment_id = :ownerDeployment"
                + i
                + " AND "
                + String.join(" AND ", where)
                + " ORDER BY "
                + order
                + " LIMIT :limit)");
      }
      sql =
          "SELECT r.* FROM ("
              + String.join(" UNION ALL ", branches)
              + ") AS r ORDER BY "
              + order
              + " LIMIT :limit";
    }
    var query =
        getHandle()
            .createQuery(sql)
            .bind("deploymentId", filter.deploymentId())
            .bind("owner", filter.owner())
            .bind("createdAfter", filter.createdAfter())
            .bind("createdBefore", filter.createdBefore())
            .bind("limit", limit);
    if (!statuses.isEmpty()) {
      query.bindList("statuses", statuses);
    }
    if (ownerDeployments != null) {
      for (int i = 0; i < ownerDeployments.size(); i++) {
        query.bind("ownerDeployment" + i, ownerDeployments.get(i));
      }
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
