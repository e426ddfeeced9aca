package io.modelplane.server.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Appends tasks to the outbox in the caller's transaction: the action on Airflow commits (or rolls
 * back) with the change that needs it, and the {@link OutboxWorker} performs it later.
 */
public final class Outbox {
  private final ObjectMapper json;

  public Outbox(ObjectMapper json) {
    this.json = json;
  }

  /** A task for a deployment ({@code runId} when it is about one of its runs). */
  public void appendForDeployment(
      Handle handle,
      OutboxTaskKind kind,
      UUID deploymentId,
      UUID runId,
      OutboxPayload payload,
      Instant now) {
    handle
        .attach(OutboxDao.class)
        .enqueue(kind.value(), null, deploymentId, runId, serialize(kind, payload), now, now);
  }

  /** A task for a training job, performed not before {@code notBefore}. */
  public void appendForJob(
      Handle handle,
      OutboxTaskKind kind,
      UUID jobId,
      OutboxPayload payload,
      Instant now,
      Instant notBefore) {
    handle
        .attach(OutboxDao.class)
        .enqueue(kind.value(), jobId, null, null, serialize(kind, payload), notBefore, now);
  }

  /** A task for a training job, performed as soon as possible. */
  public void appendForJob(
      Handle handle, OutboxTaskKind kind, UUID jobId, OutboxPayload payload, Instant now) {
    appendForJob(handle, kind, jobId, payload, now, now);
  }

  /** Appends a task like {@code like} (same targets), performed not before {@code notBefore}. */
  void appendAgain(
      Handle handle, OutboxTask like, OutboxPayload payload, Instant now, Instant notBefore) {
    handle
        .attach(OutboxDao.class)
        .enqueue(
            like.kind().value(),
            like.jobId(),
            like.deploymentId(),
            like.runId(),
            serialize(like.kind(), payload),
            notBefore,
            now);
  }

  String serialize(OutboxTaskKind kind, OutboxPayload payload) {
    if (!kind.payloadType().isInstance(payload)) {
      throw new IllegalArgumentException(
          kind + " carries " + kind.payloadType().getSimpleName() + ", not " + payload);
    }
    try {
      return json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  OutboxPayload deserialize(OutboxTaskKind kind, String payload, UUID deploymentId) {
    OutboxPayload read;
    try {
      read = payload == null ? null : json.readValue(payload, kind.payloadType());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException("unreadable " + kind.value() + " payload", e);
    }
    if ((read == null || read.dagId() == null) && deploymentId != null) {
      return upgraded(kind, read, "modelplane-deployment-" + deploymentId);
    }
    if (read == null) {
      throw new IllegalStateException("no " + kind.value() + " payload");
    }
    return read;
  }

  /**
   * A deployment task written before payloads were typed: no payload (publish, pause, unpause,
   * delete) or one without the DAG id (trigger, cancel). A deployment's DAG id follows from its id.
   */
  private static OutboxPayload upgraded(OutboxTaskKind kind, OutboxPayload read, String dagId) {
    if (read instanceof OutboxPayload.Trigger trigger) {
      return new OutboxPayload.Trigger(dagId, trigger.dagRunId(), trigger.conf());
    }
    if (read instanceof OutboxPayload.DagRun run) {
      return new OutboxPayload.DagRun(dagId, run.dagRunId());
    }
    if (kind.payloadType() == OutboxPayload.Dag.class) {
      return new OutboxPayload.Dag(dagId);
    }
    if (kind.payloadType() == OutboxPayload.DeleteDag.class) {
      return new OutboxPayload.DeleteDag(dagId, true);
    }
    throw new IllegalStateException("no " + kind.value() + " payload");
  }
}
