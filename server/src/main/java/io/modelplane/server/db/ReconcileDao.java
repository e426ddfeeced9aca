package io.modelplane.server.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What the reconcile loop reads: training jobs and deployment runs that stopped reporting. */
@RegisterConstructorMapper(ReconcileDao.SilentJob.class)
@RegisterConstructorMapper(ReconcileDao.SilentRun.class)
public interface ReconcileDao {

  /** A training job {@code queued} or {@code running}, last changed at {@code updatedAt}. */
  record SilentJob(
      UUID jobId, String status, String airflowDagId, String airflowDagRunId, Instant updatedAt) {}

  /** A deployment run {@code queued} or {@code running}, last changed at {@code updatedAt}. */
  record SilentRun(
      UUID runId,
      UUID deploymentId,
      String status,
      String dagId,
      String airflowRunId,
      Instant updatedAt) {}

  @SqlQuery(
      """
      SELECT job_id, status, airflow_dag_id, airflow_dag_run_id, updated_at FROM training_jobs
       WHERE status IN ('queued', 'running') AND airflow_dag_run_id IS NOT NULL
         AND updated_at < :silentSince
       ORDER BY updated_at LIMIT :limit
      """)
  List<SilentJob> silentJobs(Instant silentSince, int limit);

  @SqlQuery(
      """
      SELECT r.run_id, r.deployment_id, r.status, d.dag_id, r.airflow_run_id, r.updated_at
        FROM deployment_runs r JOIN deployments d ON d.deployment_id = r.deployment_id
       WHERE r.status IN ('queued', 'running') AND r.updated_at < :silentSince
       ORDER BY r.updated_at LIMIT :limit
      """)
  List<SilentRun> silentRuns(Instant silentSince, int limit);

  /** Whether the outbox still has to deliver something for a job or run (e.g. its trigger). */
  @SqlQuery(
      """
      SELECT COUNT(*) FROM outbox_tasks
       WHERE state = 'pending' AND (job_id = :id OR run_id = :id)
      """)
  int pendingTasks(UUID id);
}
