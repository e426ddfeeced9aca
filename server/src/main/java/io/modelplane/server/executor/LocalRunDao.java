package io.modelplane.server.executor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL of {@code local_runs} and {@code local_schedules}. States: {@code queued → running → success
 * | failed}, or {@code queued → failed} (cancelled or forgotten before it started).
 */
@RegisterConstructorMapper(LocalRunRow.class)
public interface LocalRunDao {

  @SqlQuery("SELECT * FROM local_runs WHERE dag_id = :dagId AND dag_run_id = :dagRunId")
  Optional<LocalRunRow> find(String dagId, String dagRunId);

  @SqlUpdate(
      """
      INSERT INTO local_runs (dag_id, dag_run_id, command, state, created_at)
      VALUES (:dagId, :dagRunId, :command, 'queued', :now)
      """)
  void insert(String dagId, String dagRunId, String command, Instant now);

  /**
   * The oldest queued run, on a handle without attaching this interface: every pass of the executor
   * asks, and an attach prepares every method of the interface, which costs more than the query.
   */
  static Optional<LocalRunRow> firstQueued(Handle handle) {
    return handle
        .createQuery("SELECT * FROM local_runs WHERE state = 'queued' ORDER BY run_key LIMIT 1")
        .map(ConstructorMapper.of(LocalRunRow.class))
        .findFirst();
  }

  @SqlQuery("SELECT * FROM local_runs WHERE state = 'running' ORDER BY run_key")
  List<LocalRunRow> running();

  /** Claims a queued run for a slot; 0 when another pass (or a cancel) took it first. */
  @SqlUpdate(
      """
      UPDATE local_runs SET state = 'running', started_at = :now, log_file = :logFile
       WHERE run_key = :runKey AND state = 'queued'
      """)
  int claim(long runKey, String logFile, Instant now);

  @SqlUpdate(
      "UPDATE local_runs SET pid = :pid, pid_started_at = :pidStartedAt WHERE run_key = :runKey")
  void recordProcess(long runKey, long pid, Instant pidStartedAt);

  /** Ends a run that is not ended yet; 0 when it already was. */
  @SqlUpdate(
      """
      UPDATE local_runs SET state = :state, exit_code = :exitCode, reason = :reason,
             ended_at = :now
       WHERE run_key = :runKey AND state IN ('queued', 'running')
      """)
  int end(long runKey, String state, Integer exitCode, String reason, Instant now);

  @SqlQuery("SELECT * FROM local_runs WHERE dag_id = :dagId AND state = 'queued'")
  List<LocalRunRow> queuedOf(String dagId);

  /** Whether the DAG has a run queued or running (its DAG's {@code max_active_runs=1}). */
  @SqlQuery(
      "SELECT COUNT(*) > 0 FROM local_runs WHERE dag_id = :dagId AND state IN ('queued', 'running')")
  boolean hasActiveRun(String dagId);

  @SqlQuery("SELECT last_tick FROM local_schedules WHERE dag_id = :dagId")
  Optional<Instant> lastTick(String dagId);

  @SqlUpdate("INSERT INTO local_schedules (dag_id, last_tick) VALUES (:dagId, :tick)")
  void firstTick(String dagId, Instant tick);

  /** Moves the last fired tick forward; 0 when this tick (or a later one) was fired already. */
  @SqlUpdate(
      "UPDATE local_schedules SET last_tick = :tick WHERE dag_id = :dagId AND last_tick < :tick")
  int advanceTick(String dagId, Instant tick);

  @SqlUpdate("DELETE FROM local_schedules WHERE dag_id = :dagId")
  void forgetSchedule(String dagId);
}
