package io.modelplane.server.metrics;

import io.modelplane.server.integration.airflow.AirflowClient;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** An {@link AirflowClient} that times every call to Airflow ({@link ExternalCallMetrics}). */
public final class TimedAirflowClient implements AirflowClient {
  private final AirflowClient delegate;
  private final ExternalCallMetrics calls;

  public TimedAirflowClient(AirflowClient delegate, ExternalCallMetrics calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  @Override
  public void triggerDagRun(String dagId, String dagRunId, Map<String, Object> conf) {
    calls.time("trigger_dag_run", () -> delegate.triggerDagRun(dagId, dagRunId, conf));
  }

  @Override
  public Optional<String> dagRunState(String dagId, String dagRunId) {
    return calls.time("dag_run_state", () -> delegate.dagRunState(dagId, dagRunId));
  }

  @Override
  public void markDagRunFailed(String dagId, String dagRunId) {
    calls.time("mark_dag_run_failed", () -> delegate.markDagRunFailed(dagId, dagRunId));
  }

  @Override
  public void setPaused(String dagId, boolean paused) {
    calls.time(paused ? "pause_dag" : "unpause_dag", () -> delegate.setPaused(dagId, paused));
  }

  @Override
  public void deleteDag(String dagId) {
    calls.time("delete_dag", () -> delegate.deleteDag(dagId));
  }

  @Override
  public URI dagUrl(String dagId) {
    return delegate.dagUrl(dagId); // no call: a link
  }
}
