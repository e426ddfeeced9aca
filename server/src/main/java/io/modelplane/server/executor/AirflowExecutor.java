package io.modelplane.server.executor;

import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.integration.airflow.AirflowClient;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The work goes to Airflow: every action is the Airflow REST call of the same name. */
public final class AirflowExecutor implements WorkExecutor {
  private final AirflowClient airflow;

  public AirflowExecutor(AirflowClient airflow) {
    this.airflow = airflow;
  }

  @Override
  public ExecutorConfig.Kind kind() {
    return ExecutorConfig.Kind.AIRFLOW;
  }

  @Override
  public void triggerDagRun(String dagId, String dagRunId, Map<String, Object> conf) {
    airflow.triggerDagRun(dagId, dagRunId, conf);
  }

  @Override
  public Optional<String> dagRunState(String dagId, String dagRunId) {
    return airflow.dagRunState(dagId, dagRunId);
  }

  @Override
  public void markDagRunFailed(String dagId, String dagRunId) {
    airflow.markDagRunFailed(dagId, dagRunId);
  }

  @Override
  public void setPaused(String dagId, boolean paused) {
    airflow.setPaused(dagId, paused);
  }

  @Override
  public void deleteDag(String dagId) {
    airflow.deleteDag(dagId);
  }

  @Override
  public Optional<URI> dagUrl(String dagId) {
    return Optional.of(airflow.dagUrl(dagId));
  }
}
