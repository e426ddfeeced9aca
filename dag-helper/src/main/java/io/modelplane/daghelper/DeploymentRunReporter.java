package io.modelplane.daghelper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Reports the status of one run of a batch deployment: {@code running}, then {@code succeeded} or
 * {@code failed}. The run is identified by its Airflow DAG run id.
 *
 * <pre>{@code
 * DeploymentRunReporter run =
 *     DeploymentRunReporter.fromEnvironment(WritebackClient.fromEnvironment(), "churn", "nightly");
 * run.running();
 * run.succeeded(rows);
 * }</pre>
 */
public final class DeploymentRunReporter implements TaskReporter {

  private final WritebackClient client;
  private final String model;
  private final String deployment;
  private final String airflowRunId;

  /**
   * Creates a reporter.
   *
   * @param client the client to send with
   * @param model the MLflow registered model name
   * @param deployment the deployment's name
   * @param airflowRunId the Airflow DAG run id
   */
  public DeploymentRunReporter(
      WritebackClient client, String model, String deployment, String airflowRunId) {
    this.client = Objects.requireNonNull(client, "client");
    this.model = Objects.requireNonNull(model, "model");
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.airflowRunId = Objects.requireNonNull(airflowRunId, "airflowRunId");
  }

  /**
   * Creates a reporter for the DAG run in {@code AIRFLOW_CTX_DAG_RUN_ID}.
   *
   * @param client the client to send with
   * @param model the MLflow registered model name
   * @param deployment the deployment's name
   * @return a reporter
   * @throws IllegalStateException outside an Airflow task
   */
  public static DeploymentRunReporter fromEnvironment(
      WritebackClient client, String model, String deployment) {
    String runId = AirflowContext.fromEnvironment().dagRunId();
    if (runId == null) {
      throw new IllegalStateException("AIRFLOW_CTX_DAG_RUN_ID is not set");
    }
    return new DeploymentRunReporter(client, model, deployment, runId);
  }

  /**
   * Sends any run callback.
   *
   * @param status the run's status
   * @param rowsScored how many rows were scored, or {@code null}
   * @param errorMessage why it failed, or {@code null}
   * @return the run as the server now has it
   */
  public JsonNode report(String status, Long rowsScored, String errorMessage) {
    return client.recordRun(model, deployment, airflowRunId, status, rowsScored, errorMessage);
  }

  @Override
  public void running() {
    report("running", null, null);
  }

  /**
   * Reports that the run finished.
   *
   * @param rowsScored how many rows were scored, or {@code null} when unknown
   */
  public void succeeded(Long rowsScored) {
    report("succeeded", rowsScored, null);
  }

  @Override
  public void reportSuccess(TaskResult result) {
    succeeded(result.rowsScored());
  }

  @Override
  public void failed(String errorMessage) {
    report("failed", null, errorMessage);
  }

  @Override
  public String toString() {
    return "deployment run " + model + "/" + deployment + "/" + airflowRunId;
  }
}
