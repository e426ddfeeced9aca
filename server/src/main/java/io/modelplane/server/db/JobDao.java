package io.modelplane.server.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code jobs} and {@code job_events}. */
@RegisterConstructorMapper(JobRow.class)
@RegisterConstructorMapper(JobEventRow.class)
public interface JobDao {

  @SqlUpdate(
      """
      INSERT INTO jobs (job_id, job_name, owner_id, job_type, source, destination, schedule,
          properties_json, status, status_message, dag_id, airflow_dag_run_id, attempt,
          rendered_dag, created_at, updated_at, last_started_at, last_completed_at,
          last_failed_at, is_deleted, deleted_at, max_run_time_seconds, reconciled_at)
      VALUES (:jobId, :jobName, :ownerId, :jobType, :source, :destination, :schedule,
          :propertiesJson, :status, :statusMessage, :dagId, :airflowDagRunId, :attempt,
          :renderedDag, :createdAt, :updatedAt, :lastStartedAt, :lastCompletedAt,
          :lastFailedAt, :isDeleted, :deletedAt, :maxRunTimeSeconds, :reconciledAt)
      """)
  void insert(@BindMethods JobRow row);

  @SqlQuery("SELECT * FROM jobs WHERE job_id = :jobId")
  Optional<JobRow> find(UUID jobId);

  /** The row, locked until the end of the transaction: every change starts here. */
  @SqlQuery("SELECT * FROM jobs WHERE job_id = :jobId FOR UPDATE")
  Optional<JobRow> lock(UUID jobId);

  @SqlQuery("SELECT owner_id FROM jobs WHERE job_id = :jobId")
  Optional<String> findOwner(UUID jobId);

  /** Newest first; the conditions are fixed SQL fragments chosen by the caller, values bound. */
  @SqlQuery(
      """
      SELECT * FROM jobs WHERE <where>
      ORDER BY created_at DESC, job_id DESC
      LIMIT :limit OFFSET :offset
      """)
  List<JobRow> list(
      @Define("where") String where,
      String jobType,
      String status,
      Instant afterCreatedAt,
      UUID afterId,
      int limit,
      int offset);

  /** A status change with the timestamp column it sets ({@code stampColumn}, fixed names). */
  @SqlUpdate(
      """
      UPDATE jobs SET status = :status, status_message = :statusMessage, updated_at = :now,
          reconciled_at = NULL <stamp>
      WHERE job_id = :jobId
      """)
  void moveTo(
      UUID jobId, String status, String statusMessage, @Define("stamp") String stamp, Instant now);

  /** The reconcile loop ended the job's run (set after the status change, which clears it). */
  @SqlUpdate("UPDATE jobs SET reconciled_at = :now WHERE job_id = :jobId")
  void markReconciled(UUID jobId, Instant now);

  @SqlUpdate(
      """
      UPDATE jobs SET attempt = :attempt, airflow_dag_run_id = :dagRunId, updated_at = :now
      WHERE job_id = :jobId
      """)
  void recordTrigger(UUID jobId, int attempt, String dagRunId, Instant now);

  @SqlUpdate(
      """
      UPDATE jobs SET is_deleted = TRUE, deleted_at = :now, updated_at = :now
      WHERE job_id = :jobId AND is_deleted = FALSE
      """)
  int softDelete(UUID jobId, Instant now);

  @SqlUpdate(
      """
      INSERT INTO job_events (job_id, from_status, to_status, actor, reason, created_at)
      VALUES (:jobId, :fromStatus, :toStatus, :actor, :reason, :createdAt)
      """)
  void insertEvent(
      UUID jobId,
      String fromStatus,
      String toStatus,
      String actor,
      String reason,
      Instant createdAt);

  @SqlQuery("SELECT * FROM job_events WHERE job_id = :jobId ORDER BY event_id")
  List<JobEventRow> events(UUID jobId);
}
