package io.modelplane.daghelper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Reports the status of one AutoML training job: {@code running}, then {@code complete} or {@code
 * failed}.
 *
 * <pre>{@code
 * TrainingJobReporter job = new TrainingJobReporter(WritebackClient.fromEnvironment(), jobId);
 * job.running();
 * job.complete(mlflowRunId, "churn-model");
 * }</pre>
 */
public final class TrainingJobReporter implements TaskReporter {

  private final WritebackClient client;
  private final String jobId;

  /**
   * Creates a reporter.
   *
   * @param client the client to send with
   * @param jobId the training job's id
   */
  public TrainingJobReporter(WritebackClient client, String jobId) {
    this.client = Objects.requireNonNull(client, "client");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
  }

  /**
   * Sends any status writeback.
   *
   * @param status the new status
   * @param mlflowRunId the MLflow run, or {@code null}
   * @param registeredModelName the registered model, or {@code null}
   * @param errorMessage why it failed, or {@code null}
   * @return the job as the server now has it
   */
  public JsonNode report(
      String status, String mlflowRunId, String registeredModelName, String errorMessage) {
    return client.updateTrainingStatus(
        jobId, status, mlflowRunId, registeredModelName, errorMessage);
  }

  @Override
  public void running() {
    report("running", null, null, null);
  }

  /**
   * Reports that training finished.
   *
   * @param mlflowRunId the MLflow run, or {@code null}
   * @param registeredModelName the registered model, or {@code null}
   */
  public void complete(String mlflowRunId, String registeredModelName) {
    report("complete", mlflowRunId, registeredModelName, null);
  }

  @Override
  public String successStatus() {
    return "complete";
  }

  @Override
  public void reportSuccess(TaskResult result) {
    complete(result.mlflowRunId(), result.registeredModelName());
  }

  @Override
  public void failed(String errorMessage) {
    report("failed", null, null, errorMessage);
  }

  @Override
  public String toString() {
    return "training job " + jobId;
  }
}
