package io.modelplane.daghelper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Reports the status of one data-engineering job ({@code /api/jobs}): {@code running}, then {@code
 * completed} or {@code failed}.
 *
 * <pre>{@code
 * DataJobReporter job = new DataJobReporter(WritebackClient.fromEnvironment(), jobId);
 * job.running();
 * job.report("completed", "42 rows written");
 * }</pre>
 */
public final class DataJobReporter implements TaskReporter {

  private final WritebackClient client;
  private final String jobId;

  /**
   * Creates a reporter.
   *
   * @param client the client to send with
   * @param jobId the job's id
   */
  public DataJobReporter(WritebackClient client, String jobId) {
    this.client = Objects.requireNonNull(client, "client");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
  }

  /**
   * Sends any status writeback.
   *
   * @param status the new status: {@code new}, {@code pending}, {@code running}, {@code completed}
   *     or {@code failed}
   * @param statusMessage a message for people, or {@code null}
   * @return the job as the server now has it
   */
  public JsonNode report(String status, String statusMessage) {
    return client.updateJobStatus(jobId, status, statusMessage);
  }

  @Override
  public void running() {
    report("running", null);
  }

  @Override
  public String successStatus() {
    return "completed";
  }

  @Override
  public void reportSuccess(TaskResult result) {
    report("completed", null);
  }

  @Override
  public void failed(String errorMessage) {
    report("failed", errorMessage);
  }

  @Override
  public String toString() {
    return "job " + jobId;
  }
}
