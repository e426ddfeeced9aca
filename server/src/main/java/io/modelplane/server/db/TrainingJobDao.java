package io.modelplane.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.EmptyHandling;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code training_jobs}. */
@RegisterRowMapper(TrainingJobRowMapper.class)
public interface TrainingJobDao extends SqlObject {

  @SqlUpdate(
      """
      INSERT INTO training_jobs (job_id, name, domain, owner, source_table, problem_type,
          algorithm, preset, label_column, feature_columns, group_column,
          feature_engineering_job_id, status,
          rendered_dag, mlflow_run_id, mlflow_experiment_name, registered_model_name,
          airflow_dag_id, airflow_dag_run_id, attempt, error_message, idempotency_key,
          idempotency_caller, request_hash, created_at, updated_at, max_run_time_seconds)
      VALUES (:jobId, :name, :domain, :owner, :sourceTable, :problemType,
          :algorithm, :preset, :labelColumn, :featureColumns, :groupColumn,
          :featureEngineeringJobId, :status,
          :renderedDag, :mlflowRunId, :mlflowExperimentName, :registeredModelName,
          :airflowDagId, :airflowDagRunId, :attempt, :errorMessage, :idempotencyKey,
          :idempotencyCaller, :requestHash, :createdAt, :updatedAt, :maxRunTimeSeconds)
      """)
  void insert(@BindMethods TrainingJobRow row);

  String FIND = "SELECT * FROM training_jobs WHERE job_id = :jobId";

  @SqlQuery(FIND)
  Optional<TrainingJobRow> find(UUID jobId);

  /** The job one caller created with one key; another caller's key never matches. */
  @SqlQuery(
      """
      SELECT * FROM training_jobs
      WHERE idempotency_caller = :idempotencyCaller AND idempotency_key = :idempotencyKey
      """)
  Optional<TrainingJobRow> findByIdempotencyKey(String idempotencyCaller, String idempotencyKey);

  /** Just the owner, for authorization checks. */
  @SqlQuery("SELECT owner FROM training_jobs WHERE job_id = :jobId")
  Optional<String> findOwner(UUID jobId);

  /**
   * {@link #find(UUID)} on a handle, without attaching this interface (an attach prepares every
   * method of the interface, which costs more than the query).
   */
  static Optional<TrainingJobRow> find(Handle handle, UUID jobId) {
    return handle
        .createQuery(FIND)
        .bind("jobId", jobId)
        .map(TrainingJobRowMapper.INSTANCE)
        .findOne();
  }

  @SqlQuery("SELECT * FROM training_jobs WHERE job_id IN (<jobIds>)")
  List<TrainingJobRow> findAll(@BindList("jobIds") Collection<UUID> jobIds);

  /**
   * Moves a job to {@code toStatus} only if its status is one of {@code fromStatuses}: one round
   * trip, safe under concurrent writebacks. Null fields keep their value.
   *
   * @return 1 when the job moved, 0 when it does not exist or is in another status
   */
  @SqlUpdate(
      """
      UPDATE training_jobs
         SET status = :toStatus,
             mlflow_run_id = COALESCE(:mlflowRunId, mlflow_run_id),
             registered_model_name = COALESCE(:registeredModelName, registered_model_name),
             error_message = :errorMessage,
             updated_at = :now
       WHERE job_id = :jobId AND status IN (<fromStatuses>)
      """)
  int transition(
      UUID jobId,
      @BindList("fromStatuses") Collection<String> fromStatuses,
      String toStatus,
      String mlflowRunId,
      String registeredModelName,
      String errorMessage,
      Instant now);

  /**
   * What {@link #writebackInOneStatement} did: the status before, whether it moved, the row now.
   */
  record Writeback(
      String previousStatus, boolean moved, TrainingJobRow row, Optional<LastEvent> reconciled) {}

  /** The job's last event when the reconcile loop wrote it: the status it ended the job with. */
  record LastEvent(String toStatus, String reason) {}

  /**
   * A status change on PostgreSQL in one statement, so in one round trip and one implicit
   * transaction: locks the row, moves it to {@code toStatus} if its status is one of {@code
   * fromStatuses} (and not already {@code toStatus}), inserts the event row with the status it came
   * from (and the feed's event, {@code platform_events}), and returns that status with the row as
   * it is now. Empty when the job does not exist. Null fields keep their value, as in {@link
   * #transition}. A job whose last event is the reconcile loop's ({@code reconcileActor}) ending it
   * with another status than {@code toStatus} does not move, and that event is returned.
   */
  static Optional<Writeback> writebackInOneStatement(
      Handle handle,
      UUID jobId,
      Collection<String> fromStatuses,
      String toStatus,
      String mlflowRunId,
      String registeredModelName,
      String errorMessage,
      String actor,
      String reason,
      String reconcileActor,
      String feedData,
      Instant now) {
    return handle
        .createQuery(
            """
            WITH cur AS (
                SELECT * FROM training_jobs WHERE job_id = :jobId FOR UPDATE
            ), reconciled AS (
                SELECT * FROM (
                    SELECT e.actor, e.to_status, e.reason FROM training_job_events e
                     WHERE e.job_id = :jobId ORDER BY e.event_id DESC LIMIT 1) last
                 WHERE last.actor = :reconcileActor AND last.to_status <> :toStatus
            ), moved AS (
                UPDATE training_jobs t
                   SET status = :toStatus,
                       mlflow_run_id = COALESCE(:mlflowRunId, t.mlflow_run_id),
                       registered_model_name =
                           COALESCE(:registeredModelName, t.registered_model_name),
                       error_message = :errorMessage,
                       updated_at = CAST(:now AS TIMESTAMP WITH TIME ZONE)
                  FROM cur
                 WHERE t.job_id = cur.job_id
                   AND cur.status IN (<fromStatuses>) AND cur.status <> :toStatus
                   AND NOT EXISTS (SELECT 1 FROM reconciled)
                RETURNING t.*
            ), event AS (
                INSERT INTO training_job_events
                    (job_id, from_status, to_status, actor, reason, created_at)
                SELECT moved.job_id, cur.status, CAST(:toStatus AS VARCHAR(20)),
                       CAST(:actor AS VARCHAR(200)), CAST(:reason AS VARCHAR(8000)),
                       CAST(:now AS TIMESTAMP WITH TIME ZONE)
                  FROM moved JOIN cur ON cur.job_id = moved.job_id
            ), feed AS (
                INSERT INTO platform_events
                    (event_type, subject_id, from_value, to_value, data, created_at)
                SELECT 'training_job.status_changed', moved.job_id, cur.status,
                       CAST(:toStatus AS VARCHAR(64)), CAST(:feedData AS VARCHAR(100000)),
                       CAST(:now AS TIMESTAMP WITH TIME ZONE)
                  FROM moved JOIN cur ON cur.job_id = moved.job_id
            )
            SELECT cur.status AS previous_status, TRUE AS moved,
                   CAST(NULL AS VARCHAR(20)) AS reconciled_status,
                   CAST(NULL AS VARCHAR(8000)) AS reconciled_reason, moved.*
              FROM moved JOIN cur ON cur.job_id = moved.job_id
            UNION ALL
            SELECT cur.status, FALSE, reconciled.to_status, reconciled.reason, cur.*
              FROM cur LEFT JOIN reconciled ON TRUE
             WHERE NOT EXISTS (SELECT 1 FROM moved)
            """)
        .bind("jobId", jobId)
        .bindList(EmptyHandling.NULL_KEYWORD, "fromStatuses", fromStatuses)
        .bind("toStatus", toStatus)
        .bind("mlflowRunId", mlflowRunId)
        .bind("registeredModelName", registeredModelName)
        .bind("errorMessage", errorMessage)
        .bind("actor", actor)
        .bind("reason", reason)
        .bind("reconcileActor", reconcileActor)
        .bind("feedData", feedData)
        .bind("now", now)
        .map(
            (rs, ctx) -> {
              String reconciledStatus = rs.getString("reconciled_status");
              return new Writeback(
                  rs.getString("previous_status"),
                  rs.getBoolean("moved"),
                  TrainingJobRowMapper.INSTANCE.map(rs, ctx),
                  reconciledStatus == null
                      ? Optional.empty()
                      : Optional.of(
                          new LastEvent(reconciledStatus, rs.getString("reconciled_reason"))));
            })
        .findOne();
  }

  /** {@link #writebackInOneStatement} of one item of a batch. */
  static Optional<Writeback> writebackInOneStatement(
      Handle handle, WritebackItem item, String reconcileActor) {
    return writebackInOneStatement(
        handle,
        item.jobId(),
        item.fromStatuses(),
        item.toStatus(),
        item.mlflowRunId(),
        item.registeredModelName(),
        item.errorMessage(),
        item.actor(),
        item.reason(),
        reconcileActor,
        item.feedData(),
        item.now());
  }

  /**
   * One writeback of a batch ({@link #writebackBatch}): the arguments of {@link
   * #writebackInOneStatement} for one job.
   */
  record WritebackItem(
      UUID jobId,
      Collection<String> fromStatuses,
      String toStatus,
      String mlflowRunId,
      String registeredModelName,
      String errorMessage,
      String actor,
      String reason,
      String feedData,
      Instant now) {}

  /**
   * Several writebacks of different jobs on PostgreSQL in one statement, so in one round trip and
   * one commit (group commit): each item does exactly what {@link #writebackInOneStatement} does
   * for it alone, and its outcome is at the item's index (empty when its job does not exist). The
   * jobs are locked in {@code job_id} order, so two batches (or a batch and any one-row change)
   * never deadlock. Every job may appear once: two writebacks of one job in a statement would both
   * read its status from before either.
   */
  static List<Optional<Writeback>> writebackBatch(
      Connection connection, List<WritebackItem> items, String reconcileActor) throws SQLException {
    int n = items.size();
    String[] jobIds = new String[n];
    String[] sources = new String[n];
    String[] toStatuses = new String[n];
    String[] mlflowRunIds = new String[n];
    String[] registeredModelNames = new String[n];
    String[] errorMessages = new String[n];
    String[] actors = new String[n];
    String[] reasons = new String[n];
    String[] feedData = new String[n];
    String[] nows = new String[n];
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      WritebackItem item = items.get(i);
      if (!seen.add(item.jobId())) {
        throw new IllegalArgumentException("job " + item.jobId() + " twice in one batch");
      }
      jobIds[i] = item.jobId().toString();
      sources[i] = String.join(",", item.fromStatuses());
      toStatuses[i] = item.toStatus();
      mlflowRunIds[i] = item.mlflowRunId();
      registeredModelNames[i] = item.registeredModelName();
      errorMessages[i] = item.errorMessage();
      actors[i] = item.actor();
      reasons[i] = item.reason();
      feedData[i] = item.feedData();
      nows[i] = item.now().toString();
    }
    List<Optional<Writeback>> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      outcomes.add(Optional.empty());
    }
    Jdbc.NamedSql sql = WritebackBatchSql.STATEMENT;
    try (PreparedStatement statement = connection.prepareStatement(sql.sql())) {
      int i = 0;
      for (String name : sql.parameters()) {
        i++;
        // Java arrays: the driver sends them typed and binary, not as array literals in text
        switch (name) {
          case "jobIds" -> statement.setObject(i, jobIds);
          case "sources" -> statement.setObject(i, sources);
          case "toStatuses" -> statement.setObject(i, toStatuses);
          case "mlflowRunIds" -> statement.setObject(i, mlflowRunIds);
          case "registeredModelNames" -> statement.setObject(i, registeredModelNames);
          case "errorMessages" -> statement.setObject(i, errorMessages);
          case "actors" -> statement.setObject(i, actors);
          case "reasons" -> statement.setObject(i, reasons);
          case "feedData" -> statement.setObject(i, feedData);
          case "nows" -> statement.setObject(i, nows);
          case "reconcileActor" -> Jdbc.setString(statement, i, reconcileActor);
          default -> throw new IllegalStateException("unbound parameter " + name);
        }
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String reconciledStatus = rs.getString("reconciled_status");
          outcomes.set(
              rs.getInt("item") - 1,
              Optional.of(
                  new Writeback(
                      rs.getString("previous_status"),
                      rs.getBoolean("moved"),
                      TrainingJobRowMapper.INSTANCE.map(rs, null),
                      reconciledStatus == null
                          ? Optional.empty()
                          : Optional.of(
                              new LastEvent(
                                  reconciledStatus, rs.getString("reconciled_reason"))))));
        }
      }
    }
    return outcomes;
  }

  /** The SQL of {@link #writebackBatch}, parsed once. */
  final class WritebackBatchSql {
    static final Jdbc.NamedSql STATEMENT =
        Jdbc.NamedSql.parse(
            """
            WITH input AS (
                SELECT * FROM unnest(
                    CAST(:jobIds AS UUID[]), CAST(:sources AS VARCHAR[]),
                    CAST(:toStatuses AS VARCHAR[]), CAST(:mlflowRunIds AS VARCHAR[]),
                    CAST(:registeredModelNames AS VARCHAR[]), CAST(:errorMessages AS VARCHAR[]),
                    CAST(:actors AS VARCHAR[]), CAST(:reasons AS VARCHAR[]),
                    CAST(:feedData AS VARCHAR[]), CAST(:nows AS TIMESTAMP WITH TIME ZONE[]))
                    WITH ORDINALITY AS i(job_id, sources, to_status, mlflow_run_id,
                        registered_model_name, error_message, actor, reason, feed_data, at, item)
            ), cur AS (
                SELECT t.* FROM training_jobs t
                 WHERE t.job_id IN (SELECT job_id FROM input)
                 ORDER BY t.job_id
                   FOR UPDATE
            ), reconciled AS (
                SELECT i.item, last.to_status, last.reason
                  FROM input i
                 CROSS JOIN LATERAL (
                     SELECT e.actor, e.to_status, e.reason FROM training_job_events e
                      WHERE e.job_id = i.job_id ORDER BY e.event_id DESC LIMIT 1) last
                 WHERE last.actor = :reconcileActor AND last.to_status <> i.to_status
            ), moved AS (
                UPDATE training_jobs t
                   SET status = i.to_status,
                       mlflow_run_id = COALESCE(i.mlflow_run_id, t.mlflow_run_id),
                       registered_model_name =
                           COALESCE(i.registered_model_name, t.registered_model_name),
                       error_message = i.error_message,
                       updated_at = i.at
                  FROM input i JOIN cur ON cur.job_id = i.job_id
                 WHERE t.job_id = i.job_id
                   AND cur.status = ANY (string_to_array(i.sources, ','))
                   AND cur.status <> i.to_status
                   AND NOT EXISTS (SELECT 1 FROM reconciled r WHERE r.item = i.item)
                RETURNING t.*, i.item
            ), event AS (
                INSERT INTO training_job_events
                    (job_id, from_status, to_status, actor, reason, created_at)
                SELECT m.job_id, cur.status, i.to_status, i.actor, i.reason, i.at
                  FROM moved m JOIN input i ON i.item = m.item JOIN cur ON cur.job_id = m.job_id
                 ORDER BY m.item
            ), feed AS (
                INSERT INTO platform_events
                    (event_type, subject_id, from_value, to_value, data, created_at)
                SELECT 'training_job.status_changed', m.job_id, cur.status, i.to_status,
                       i.feed_data, i.at
                  FROM moved m JOIN input i ON i.item = m.item JOIN cur ON cur.job_id = m.job_id
                 ORDER BY m.item
            )
            SELECT cur.status AS previous_status, TRUE AS moved,
                   CAST(NULL AS VARCHAR(20)) AS reconciled_status,
                   CAST(NULL AS VARCHAR(100000)) AS reconciled_reason, m.*
              FROM moved m JOIN cur ON cur.job_id = m.job_id
            UNION ALL
            SELECT cur.status, FALSE, r.to_status, r.reason, cur.*, i.item
              FROM input i JOIN cur ON cur.job_id = i.job_id
              LEFT JOIN reconciled r ON r.item = i.item
             WHERE NOT EXISTS (SELECT 1 FROM moved m WHERE m.item = i.item)
            """);

    private WritebackBatchSql() {}
  }

  /** Records a successful trigger: status, run id and attempt, if the status is still allowed. */
  @SqlUpdate(
      """
      UPDATE training_jobs
         SET status = :toStatus, airflow_dag_run_id = :dagRunId, attempt = :attempt,
             error_message = NULL, updated_at = :now
       WHERE job_id = :jobId AND status IN (<fromStatuses>) AND attempt = :attempt - 1
      """)
  int recordTrigger(
      UUID jobId,
      @BindList("fromStatuses") Collection<String> fromStatuses,
      String toStatus,
      String dagRunId,
      int attempt,
      Instant now);

  @SqlUpdate(
      "UPDATE training_jobs SET error_message = :errorMessage, updated_at = :now"
          + " WHERE job_id = :jobId")
  int setErrorMessage(UUID jobId, String errorMessage, Instant now);

  @SqlUpdate("DELETE FROM training_jobs WHERE job_id = :jobId")
  int delete(UUID jobId);

  /**
   * One page, newest first, after {@code after} (exclusive) when given. Filters are fixed column
   * names; values are bound, never concatenated.
   */
  default List<TrainingJobRow> list(TrainingJobFilter filter, Keyset after, int limit) {
    return list(getHandle(), filter, after, limit);
  }

  /** {@link #list(TrainingJobFilter, Keyset, int)} on a handle, without attaching. */
  static List<TrainingJobRow> list(
      Handle handle, TrainingJobFilter filter, Keyset after, int limit) {
    List<String> where = new ArrayList<>();
    if (filter.status() != null) {
      where.add("status = :status");
    }
    if (filter.domain() != null) {
      where.add("domain = :domain");
    }
    if (filter.owner() != null) {
      where.add("owner = :owner");
    }
    if (filter.algorithm() != null) {
      where.add("algorithm = :algorithm");
    }
    if (filter.problemType() != null) {
      where.add("problem_type = :problemType");
    }
    if (after != null) {
      where.add("(created_at, job_id) < (:afterCreatedAt, :afterId)");
    }
    String sql =
        "SELECT * FROM training_jobs"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY created_at DESC, job_id DESC LIMIT :limit";
    var query =
        handle
            .createQuery(sql)
            .bind("status", filter.status())
            .bind("domain", filter.domain())
            .bind("owner", filter.owner())
            .bind("algorithm", filter.algorithm())
            .bind("problemType", filter.problemType())
            .bind("limit", limit);
    if (after != null) {
      query.bind("afterCreatedAt", after.createdAt()).bind("afterId", after.id());
    }
    return query.map(TrainingJobRowMapper.INSTANCE).list();
  }
}
