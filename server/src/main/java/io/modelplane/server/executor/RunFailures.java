package io.modelplane.server.executor;

/**
 * Records that a local run ended without its task reporting it (the child could not start, exited
 * with an error before or after the wrapper reported, or was left behind by a killed server): what
 * Airflow's {@code on_failure_callback} does in the DAG templates. A job or run that already ended
 * is left as it is.
 */
public interface RunFailures {
  void failed(String dagId, String dagRunId, String reason);
}
