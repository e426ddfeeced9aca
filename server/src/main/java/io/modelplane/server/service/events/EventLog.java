package io.modelplane.server.service.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.PlatformEventDao;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes the feed's events: one insert into {@code platform_events} in the transaction of the
 * change it reports, called from the one place per entity where its status changes ({@code
 * DeploymentTransitions}, {@code TrainingJobService.recordEvent}, {@code JobService.move}, {@code
 * ModelResolver.apply}). Everything after that (sequencing, fan-out to subscriptions, HTTP) is
 * asynchronous, done by the dispatcher and the delivery worker.
 */
public final class EventLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventLog() {}

  /** A status change of a training job ({@code from} null on creation). */
  public static void trainingJobStatusChanged(
      Handle handle, UUID jobId, String from, String to, String actor, String reason, Instant at) {
    append(
        handle,
        EventType.TRAINING_JOB_STATUS_CHANGED,
        jobId,
        from,
        to,
        trainingJobData(jobId, actor, reason),
        at);
  }

  /** The {@code data} of a training job's event, without the statuses (kept in their columns). */
  public static String trainingJobData(UUID jobId, String actor, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("job_id", jobId.toString());
    data.put("actor", actor);
    data.put("reason", reason);
    return json(data);
  }

  /** A status change of a deployment. */
  public static void deploymentStatusChanged(
      Handle handle,
      UUID deploymentId,
      String model,
      String name,
      String from,
      String to,
      String actor,
      String reason,
      Instant at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("deployment_id", deploymentId.toString());
    data.put("model", model);
    data.put("name", name);
    data.put("actor", actor);
    data.put("reason", reason);
    append(handle, EventType.DEPLOYMENT_STATUS_CHANGED, deploymentId, from, to, json(data), at);
  }

  /** A status change of a deployment run. */
  public static void deploymentRunStatusChanged(
      Handle handle,
      UUID deploymentId,
      UUID runId,
      String airflowRunId,
      String from,
      String to,
      Long rowsScored,
      String errorMessage,
      Instant at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("deployment_id", deploymentId.toString());
    data.put("run_id", runId.toString());
    data.put("airflow_run_id", airflowRunId);
    data.put("rows_scored", rowsScored);
    data.put("error_message", errorMessage);
    append(handle, EventType.DEPLOYMENT_RUN_STATUS_CHANGED, runId, from, to, json(data), at);
  }

  /** A status change of a data-engineering job ({@code /api/jobs}). */
  public static void jobStatusChanged(
      Handle handle,
      UUID jobId,
      String jobName,
      String jobType,
      String from,
      String to,
      String actor,
      String reason,
      Instant at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("job_id", jobId.toString());
    data.put("job_name", jobName);
    data.put("job_type", jobType);
    data.put("actor", actor);
    data.put("reason", reason);
    append(handle, EventType.JOB_STATUS_CHANGED, jobId, from, to, json(data), at);
  }

  /** The server resolved a deployment's alias to another version than its last one. */
  public static void deploymentModelVersionChanged(
      Handle handle,
      UUID deploymentId,
      String model,
      String name,
      String alias,
      String fromVersion,
      String toVersion,
      Instant at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("deployment_id", deploymentId.toString());
    data.put("model", model);
    data.put("name", name);
    data.put("alias", alias);
    append(
        handle,
        EventType.DEPLOYMENT_MODEL_VERSION_CHANGED,
        deploymentId,
        fromVersion,
        toVersion,
        json(data),
        at);
  }

  /** A ping for one subscription; returns the event's id. */
  public static long ping(Handle handle, UUID subscriptionId, Instant at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("webhook_id", subscriptionId.toString());
    data.put("message", "ping");
    return PlatformEventDao.append(
        handle, EventType.PING.value(), subscriptionId, null, null, json(data), subscriptionId, at);
  }

  private static void append(
      Handle handle,
      EventType type,
      UUID subjectId,
      String from,
      String to,
      String data,
      Instant at) {
    PlatformEventDao.append(handle, type.value(), subjectId, from, to, data, null, at);
  }

  private static String json(Map<String, Object> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
