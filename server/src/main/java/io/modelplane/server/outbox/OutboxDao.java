package io.modelplane.server.outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code outbox_tasks}. */
@RegisterConstructorMapper(OutboxTaskRow.class)
public interface OutboxDao {

  @SqlUpdate(
      """
      INSERT INTO outbox_tasks (kind, job_id, deployment_id, run_id, payload, attempts,
          next_attempt_at, state, created_at)
      VALUES (:kind, :jobId, :deploymentId, :runId, :payload, 0, :nextAttemptAt, 'pending', :now)
      """)
  void enqueue(
      String kind,
      UUID jobId,
      UUID deploymentId,
      UUID runId,
      String payload,
      Instant nextAttemptAt,
      Instant now);

  /**
   * Due tasks, oldest first; a task waits while an older task of its job or deployment is open. On
   * a handle without attaching this interface: every pass of the worker asks, and an attach
   * prepares every method of the interface, which costs more than the query.
   */
  static List<OutboxTaskRow> due(Handle handle, Instant now, int limit) {
    return handle
        .createQuery(
            """
            SELECT * FROM outbox_tasks t
             WHERE t.state = 'pending' AND t.next_attempt_at <= :now
               AND NOT EXISTS (SELECT 1 FROM outbox_tasks o
                                WHERE o.state = 'pending' AND o.task_id < t.task_id
                                  AND (o.deployment_id = t.deployment_id OR o.job_id = t.job_id))
             ORDER BY t.task_id
             LIMIT :limit
            """)
        .bind("now", now)
        .bind("limit", limit)
        .map(ConstructorMapper.of(OutboxTaskRow.class))
        .list();
  }

  /**
   * Claims a task until {@code leaseUntil} (another worker skips it meanwhile) and counts the
   * attempt at once: a worker that dies mid-task has used it up. {@code last_error} says the task
   * is leased, so that a task found due with it was reclaimed from an expired lease.
   *
   * @return 1 when this worker got it
   */
  @SqlUpdate(
      """
      UPDATE outbox_tasks
         SET next_attempt_at = :leaseUntil, attempts = attempts + 1, last_error = :leaseNote
       WHERE task_id = :taskId AND state = 'pending' AND next_attempt_at = :seen
      """)
  int claim(long taskId, Instant seen, Instant leaseUntil, String leaseNote);

  /**
   * Ends a task whose last allowed attempt's lease expired, unless another worker took it first.
   *
   * @return 1 when this worker ended it
   */
  @SqlUpdate(
      """
      UPDATE outbox_tasks SET state = 'failed', last_error = :lastError, finished_at = :now
       WHERE task_id = :taskId AND state = 'pending' AND next_attempt_at = :seen
      """)
  int abandon(long taskId, Instant seen, String lastError, Instant now);

  @SqlUpdate(
      "UPDATE outbox_tasks SET state = :state, last_error = :lastError, finished_at = :now"
          + " WHERE task_id = :taskId")
  void finish(long taskId, String state, String lastError, Instant now);

  @SqlUpdate(
      "UPDATE outbox_tasks SET last_error = :lastError, next_attempt_at = :nextAttemptAt"
          + " WHERE task_id = :taskId")
  void retryLater(long taskId, String lastError, Instant nextAttemptAt);

  @SqlQuery("SELECT * FROM outbox_tasks WHERE deployment_id = :deploymentId ORDER BY task_id")
  List<OutboxTaskRow> forDeployment(UUID deploymentId);

  @SqlQuery("SELECT * FROM outbox_tasks WHERE job_id = :jobId ORDER BY task_id")
  List<OutboxTaskRow> forJob(UUID jobId);
}
