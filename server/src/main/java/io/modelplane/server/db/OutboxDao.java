package io.modelplane.server.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code outbox_tasks}. */
@RegisterConstructorMapper(OutboxTaskRow.class)
public interface OutboxDao {

  @SqlUpdate(
      """
      INSERT INTO outbox_tasks (kind, deployment_id, run_id, payload, attempts, next_attempt_at,
          state, created_at)
      VALUES (:kind, :deploymentId, :runId, :payload, 0, :now, 'pending', :now)
      """)
  void enqueue(String kind, UUID deploymentId, UUID runId, String payload, Instant now);

  @SqlUpdate(
      """
      INSERT INTO outbox_tasks (kind, job_id, payload, attempts, next_attempt_at, state,
          created_at)
      VALUES (:kind, :jobId, :payload, 0, :now, 'pending', :now)
      """)
  void enqueueForJob(String kind, UUID jobId, String payload, Instant now);

  @SqlQuery(
      """
      SELECT * FROM outbox_tasks t
       WHERE t.state = 'pending' AND t.next_attempt_at <= :now
         AND NOT EXISTS (SELECT 1 FROM outbox_tasks o
                          WHERE o.state = 'pending' AND o.task_id < t.task_id
                            AND (o.deployment_id = t.deployment_id OR o.job_id = t.job_id))
       ORDER BY t.task_id
       LIMIT :limit
      """)
  List<OutboxTaskRow> due(Instant now, int limit);

  /**
   * Claims a task for {@code leaseUntil} (another worker skips it meanwhile).
   *
   * @return 1 when this worker got it
   */
  @SqlUpdate(
      "UPDATE outbox_tasks SET next_attempt_at = :leaseUntil"
          + " WHERE task_id = :taskId AND state = 'pending' AND next_attempt_at = :seen")
  int claim(long taskId, Instant seen, Instant leaseUntil);

  @SqlUpdate(
      "UPDATE outbox_tasks SET state = :state, attempts = attempts + 1, last_error = :lastError,"
          + " finished_at = :now WHERE task_id = :taskId")
  void finish(long taskId, String state, String lastError, Instant now);

  @SqlUpdate(
      "UPDATE outbox_tasks SET attempts = attempts + 1, last_error = :lastError,"
          + " next_attempt_at = :nextAttemptAt WHERE task_id = :taskId")
  void retryLater(long taskId, String lastError, Instant nextAttemptAt);

  @SqlQuery("SELECT * FROM outbox_tasks WHERE deployment_id = :deploymentId ORDER BY task_id")
  List<OutboxTaskRow> forDeployment(UUID deploymentId);
}
