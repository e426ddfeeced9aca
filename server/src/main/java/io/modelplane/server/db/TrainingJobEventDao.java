package io.modelplane.server.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code training_job_events}. */
@RegisterConstructorMapper(TrainingJobEventRow.class)
public interface TrainingJobEventDao {

  @SqlUpdate(
      """
      INSERT INTO training_job_events (job_id, from_status, to_status, actor, reason, created_at)
      VALUES (:jobId, :fromStatus, :toStatus, :actor, :reason, :createdAt)
      """)
  void insert(
      UUID jobId,
      String fromStatus,
      String toStatus,
      String actor,
      String reason,
      Instant createdAt);

  @SqlQuery("SELECT * FROM training_job_events WHERE job_id = :jobId ORDER BY event_id")
  List<TrainingJobEventRow> listForJob(UUID jobId);
}
