package io.modelplane.server.service.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.PlatformEventDao;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes the feed's events: one insert into {@code platform_events} in the transaction of the
 * change it reports, called from the one place per entity where its status changes ({@code
 * DeploymentTransitions}, {@code TrainingJobService.recordEvent}, {@code JobService.move}, {@code
 * ModelResolver.apply}). Everything after that (sequencing, fan-out to subscriptions, HTTP) is
 * asynchronous, done by the dispatcher and the delivery worker.
 *
 * <p>Each kind of event is one row of the same recipe: its type, its subject, the statuses (or
 * versions) it moves between, and its {@code data} as the named fields in the order given.
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
    return data("job_id", jobId, "actor", actor, "reason", reason);
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
    String data =
        data(
            "deployment_id", deploymentId,
            "model", model,
            "name", name,
            "actor", actor,
            "reason", reason);
    append(handle, EventType.DEPLOYMENT_STATUS_CHANGED, deploymentId, from, to, data, at);
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
    String data =
        data(
            "deployment_id", deploymentId,
            "run_id", runId,
            "airflow_run_id", airflowRunId,
            "rows_scored", rowsScored,
            "error_message", errorMessage);
    append(handle, EventType.DEPLOYMENT_RUN_STATUS_CHANGED, runId, from, to, data, at);
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
    String data =
        data(
            "job_id", jobId,
            "job_name", jobName,
            "job_type", jobType,
            "actor", actor,
            "reason", reason);
    append(handle, EventType.JOB_STATUS_CHANGED, jobId, from, to, data, at);
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
    String data = data("deployment_id", deploymentId, "model", model, "name", name, "alias", alias);
    append(
        handle,
        EventType.DEPLOYMENT_MODEL_VERSION_CHANGED,
        deploymentId,
        fromVersion,
        toVersion,
        data,
        at);
  }

  /** A ping for one subscription; returns the event's id. */
  public static long ping(Handle handle, UUID subscriptionId, Instant at) {
    String data = data("webhook_id", subscriptionId, "message", "ping");
    return PlatformEventDao.append(
        handle, EventType.PING.value(), subscriptionId, null, null, data, subscriptionId, at);
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

  /**
   * The {@code data} JSON object of {@code namesAndValues} (name, value, name, value, ...), in that
   * order; identifiers as their text, a null as JSON null.
   */
  private static String data(Object... namesAndValues) {
    StringBuilder json = new StringBuilder(128).append('{');
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (i > 0) {
        json.append(',');
      }
      quote(json, (String) namesAndValues[i]).append(':');
      Object value = namesAndValues[i + 1];
      if (value == null) {
        json.append("null");
      } else if (value instanceof String || value instanceof UUID) {
        quote(json, value.toString());
      } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
        json.append(value);
      } else {
        json.append(jackson(value));
      }
    }
    return json.append('}').toString();
  }

  /**
   * A JSON string, escaped as Jackson's generator escapes it: written out, as every status change
   * (a writeback, a run callback) builds one, and the object mapper's generator and serializer
   * look-ups cost more than the text.
   */
  private static StringBuilder quote(StringBuilder json, String text) {
    json.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, json);
    return json.append('"');
  }

  private static String jackson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
