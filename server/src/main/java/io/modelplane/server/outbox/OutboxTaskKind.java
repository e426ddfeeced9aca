package io.modelplane.server.outbox;

import java.util.Arrays;
import java.util.Locale;

/** What an outbox task does in Airflow, and the payload each kind carries. */
public enum OutboxTaskKind {
  /** Unpause a deployment's DAG while the deployment is {@code deploying}. */
  PUBLISH_DAG(OutboxPayload.Dag.class),
  /** Pause a DAG (stop, and the first step of archive). */
  PAUSE_DAG(OutboxPayload.Dag.class),
  /** Unpause a DAG (start). */
  UNPAUSE_DAG(OutboxPayload.Dag.class),
  /** Mark DAG runs failed so that their task instances stop (archive, before the delete). */
  STOP_DAG_RUNS(OutboxPayload.DagRuns.class),
  /** Delete a deployment's DAG; Airflow answers 409 while task instances run: retried. */
  DELETE_DAG(OutboxPayload.DeleteDag.class),
  /** Trigger a run of a deployment while the run is {@code queued}. */
  TRIGGER_RUN(OutboxPayload.Trigger.class),
  /** Mark a deployment run's DAG run failed. */
  CANCEL_RUN(OutboxPayload.DagRun.class),
  /** Trigger a training job's DAG run. */
  TRIGGER_TRAINING(OutboxPayload.Trigger.class),
  /** Mark a training job's DAG run failed. */
  CANCEL_TRAINING(OutboxPayload.DagRun.class),
  /** Delete a deleted training job's DAG. */
  DELETE_TRAINING_DAG(OutboxPayload.DeleteDag.class),
  /** Trigger a data-engineering job's DAG run ({@code /api/jobs}; its id in {@code job_id}). */
  TRIGGER_JOB(OutboxPayload.Trigger.class),
  /** Delete a deleted data-engineering job's rendered DAG. */
  DELETE_JOB_DAG(OutboxPayload.DeleteDag.class),
  /** Mark a data-engineering job's DAG run failed (it ran past its maximum run time). */
  CANCEL_JOB(OutboxPayload.DagRun.class);

  private final Class<? extends OutboxPayload> payloadType;

  OutboxTaskKind(Class<? extends OutboxPayload> payloadType) {
    this.payloadType = payloadType;
  }

  /** The value of the {@code kind} column. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the task serves a data-engineering job of {@code /api/jobs} (not a training job). */
  public boolean servesDataJob() {
    return this == TRIGGER_JOB || this == DELETE_JOB_DAG || this == CANCEL_JOB;
  }

  public Class<? extends OutboxPayload> payloadType() {
    return payloadType;
  }

  public static OutboxTaskKind of(String value) {
    return Arrays.stream(values())
        .filter(kind -> kind.value().equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown outbox task kind " + value));
  }
}
