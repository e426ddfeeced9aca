package io.modelplane.server.executor;

import io.modelplane.server.config.ExecutorConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where triggered work goes: Airflow ({@link AirflowExecutor}) or child processes of this server
 * ({@link LocalExecutor}). The outbox worker performs its tasks through this interface, so both see
 * the same persisted queue of actions; both name runs as Airflow does (a DAG and a run id).
 */
public interface WorkExecutor {

  /** Which executor this is, as responses name it. */
  ExecutorConfig.Kind kind();

  /**
   * Starts a DAG run with a caller-chosen, deterministic {@code dagRunId}. A run that already
   * exists under that id counts as started (a retry of the same trigger).
   */
  void triggerDagRun(String dagId, String dagRunId, Map<String, Object> conf);

  /** The state of a DAG run in Airflow's words ({@code queued}, {@code running}, …). */
  Optional<String> dagRunState(String dagId, String dagRunId);

  /** Ends a DAG run as failed (cancellation); a run the executor does not know is ignored. */
  void markDagRunFailed(String dagId, String dagRunId);

  /** Pauses or unpauses a DAG's schedule. */
  void setPaused(String dagId, boolean paused);

  /** Forgets a DAG: its schedule, and the runs of it still waiting for a slot. */
  void deleteDag(String dagId);

  /** Where a person sees the DAG, when the executor has a UI for it. */
  Optional<URI> dagUrl(String dagId);
}
