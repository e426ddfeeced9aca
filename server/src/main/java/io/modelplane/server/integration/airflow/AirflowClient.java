package io.modelplane.server.integration.airflow;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** What Modelplane asks of Airflow. */
public interface AirflowClient {

  /**
   * Triggers a DAG run with a caller-chosen, deterministic {@code dagRunId}. A run that already
   * exists under that id counts as triggered (a retry of the same trigger).
   *
   * @throws AirflowException when Airflow refuses or cannot be reached
   */
  void triggerDagRun(String dagId, String dagRunId, Map<String, Object> conf);

  /** The state of a DAG run ({@code queued}, {@code running}, {@code success}, {@code failed}). */
  Optional<String> dagRunState(String dagId, String dagRunId);

  /** Marks a DAG run failed (cancellation). A run Airflow does not know is ignored. */
  void markDagRunFailed(String dagId, String dagRunId);

  /**
   * Pauses or unpauses a DAG.
   *
   * @throws AirflowException also when Airflow does not know the DAG yet (404: not parsed yet)
   */
  void setPaused(String dagId, boolean paused);

  /** Deletes a DAG and its history from Airflow; a DAG Airflow does not know is ignored. */
  void deleteDag(String dagId);

  /** Where a person sees the DAG in Airflow's UI. */
  URI dagUrl(String dagId);
}
