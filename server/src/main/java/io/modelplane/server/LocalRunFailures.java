package io.modelplane.server;

import io.modelplane.server.executor.RunFailures;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.RunCallback;
import io.modelplane.server.service.RunStatus;
import io.modelplane.server.service.ServiceException;
import io.modelplane.server.service.StatusWriteback;
import io.modelplane.server.service.TrainingJobService;
import io.modelplane.server.service.TrainingJobStatus;
import io.modelplane.server.service.deployment.Deployments;
import io.modelplane.server.service.job.JobService;
import io.modelplane.server.service.job.JobStatus;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local run's failure the task did not report, recorded through the same writeback and callback
 * the DAG's {@code report_failure} uses: the job or run moves to {@code failed} with the reason,
 * unless it ended already.
 */
final class LocalRunFailures implements RunFailures {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRunFailures.class);
  private static final Caller CALLER = Caller.system("local-executor");

  private final Jdbi jdbi;
  private final TrainingJobService trainingJobs;
  private final Deployments deployments;
  private final JobService jobs;

  LocalRunFailures(
      Jdbi jdbi, TrainingJobService trainingJobs, Deployments deployments, JobService jobs) {
    this.jdbi = jdbi;
    this.trainingJobs = trainingJobs;
    this.deployments = deployments;
    this.jobs = jobs;
  }

  private record LiveDeployment(String modelName, String name) {}

  @Override
  public void failed(String dagId, String dagRunId, String reason) {
    try {
      Optional<UUID> job =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT job_id FROM training_jobs WHERE airflow_dag_id = :d"
                              + " AND airflow_dag_run_id = :r")
                      .bind("d", dagId)
                      .bind("r", dagRunId)
                      .mapTo(UUID.class)
                      .findOne());
      if (job.isPresent()) {
        trainingJobs.writeback(
            job.get(), new StatusWriteback(TrainingJobStatus.FAILED, null, null, reason), CALLER);
        return;
      }
      Optional<UUID> dataeng =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT job_id FROM jobs WHERE dag_id = :d AND is_deleted = FALSE"
                              + " AND rendered_dag IS NOT NULL")
                      .bind("d", dagId)
                      .mapTo(UUID.class)
                      .findOne());
      if (dataeng.isPresent()) {
        jobs.writeback(dataeng.get(), JobStatus.FAILED, reason, CALLER);
        return;
      }
      Optional<LiveDeployment> deployment =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT model_name, name FROM deployments WHERE dag_id = :d"
                              + " AND status <> 'archived'")
                      .bind("d", dagId)
                      .map((rs, ctx) -> new LiveDeployment(rs.getString(1), rs.getString(2)))
                      .findOne());
      if (deployment.isPresent()) {
        deployments
            .runs()
            .recordCallback(
                deployment.get().modelName(),
                deployment.get().name(),
                new RunCallback(dagRunId, RunStatus.FAILED, null, reason),
                CALLER);
      }
    } catch (ServiceException e) {
      // it ended meanwhile (complete, succeeded, or failed by a cancel): left as it is
      LOG.info("Local run {} of {} not marked failed: {}", dagRunId, dagId, e.getMessage());
    }
  }
}
