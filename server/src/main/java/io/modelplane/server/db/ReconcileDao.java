package io.modelplane.server.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What the reconcile loop reads: training jobs and deployment runs that stopped reporting. */
@RegisterConstructorMapper(ReconcileDao.SilentJob.class)
@RegisterConstructorMapper(ReconcileDao.SilentRun.class)
@RegisterConstructorMapper(ReconcileDao.SilentDataJob.class)
@RegisterConstructorMapper(ReconcileDao.Overdue.class)
public interface ReconcileDao {

  /**
   * A data-engineering job {@code pending} or {@code running}, last changed at {@code updatedAt}.
   */
  record SilentDataJob(
      UUID jobId, String status, String dagId, String airflowDagRunId, Instant updatedAt) {}

  /**
   * A job or run not over yet that has a maximum run time: {@code id} is the training job, the
   * data-engineering job or the run ({@code deploymentId} is set for a run only), {@code startedAt}
   * when its current run was triggered (or started, for a run Modelplane did not trigger).
   */
  record Overdue(
      UUID id,
      UUID deploymentId,
      String status,
      String dagId,
      String dagRunId,
      Instant updatedAt,
      Instant startedAt,
      int maxRunTimeSeconds) {

    /** Whether it runs past its maximum run time at {@code now}. */
    public boolean isPast(Instant now) {
      return startedAt != null && startedAt.plusSeconds(maxRunTimeSeconds).isBefore(now);
    }
  }

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

  @SqlQuery(
      """
      SELECT job_id, status, dag_id, airflow_dag_run_id, updated_at FROM jobs
       WHERE status IN ('pending', 'running') AND airflow_dag_run_id IS NOT NULL
         AND dag_id IS NOT NULL AND is_deleted = FALSE AND updated_at < :silentSince
       ORDER BY updated_at LIMIT :limit
      """)
  List<SilentDataJob> silentDataJobs(Instant silentSince, int limit);

  /** Unfinished runs of deployments with a maximum run time; a run starts when it is created. */
  @SqlQuery(
      """
      SELECT r.run_id AS id, r.deployment_id, r.status, d.dag_id, r.airflow_run_id AS dag_run_id,
             r.updated_at, r.created_at AS started_at, d.max_run_time_seconds
        FROM deployment_runs r JOIN deployments d ON d.deployment_id = r.deployment_id
       WHERE r.status IN ('queued', 'running') AND d.max_run_time_seconds IS NOT NULL
       ORDER BY r.created_at LIMIT :limit
      """)
  List<Overdue> unfinishedRunsWithMaximum(int limit);

  /**
   * Unfinished training jobs with a maximum run time; the current run started with the latest event
   * that moved the job from a resting status into {@code queued} or {@code running}.
   */
  @SqlQuery(
      """
      SELECT j.job_id AS id, CAST(NULL AS UUID) AS deployment_id, j.status,
             j.airflow_dag_id AS dag_id, j.airflow_dag_run_id AS dag_run_id, j.updated_at,
             (SELECT MAX(e.created_at) FROM training_job_events e
               WHERE e.job_id = j.job_id AND e.to_status IN ('queued', 'running')
                 AND (e.from_status IS NULL OR e.from_status NOT IN ('queued', 'running')))
               AS started_at,
             j.max_run_time_seconds
        FROM training_jobs j
       WHERE j.status IN ('queued', 'running') AND j.max_run_time_seconds IS NOT NULL
         AND j.airflow_dag_run_id IS NOT NULL
       ORDER BY j.updated_at LIMIT :limit
      """)
  List<Overdue> unfinishedTrainingJobsWithMaximum(int limit);

  /** Unfinished data-engineering jobs with a maximum run time (started as for training jobs). */
  @SqlQuery(
      """
      SELECT j.job_id AS id, CAST(NULL AS UUID) AS deployment_id, j.status, j.dag_id,
             j.airflow_dag_run_id AS dag_run_id, j.updated_at,
             (SELECT MAX(e.created_at) FROM job_events e
               WHERE e.job_id = j.job_id AND e.to_status IN ('pending', 'running')
                 AND (e.from_status IS NULL OR e.from_status NOT IN ('pending', 'running')))
               AS started_at,
             j.max_run_time_seconds
        FROM jobs j
       WHERE j.status IN ('pending', 'running') AND j.max_run_time_seconds IS NOT NULL
         AND j.is_deleted = FALSE
       ORDER BY j.updated_at LIMIT :limit
      """)
  List<Overdue> unfinishedDataJobsWithMaximum(int limit);
}
