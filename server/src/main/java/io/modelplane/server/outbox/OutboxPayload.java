package io.modelplane.server.outbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** What an outbox task needs to act, one record per shape; stored as JSON in {@code payload}. */
public sealed interface OutboxPayload {

  /** The DAG acted on. */
  String dagId();

  /** A whole DAG: publish, pause, unpause. */
  record Dag(@JsonProperty("dag_id") String dagId) implements OutboxPayload {}

  /**
   * Delete a DAG; with {@code recheck}, the worker deletes it once more after a delay, for a DAG
   * that Airflow parsed again from a late copy of the DAG folder.
   */
  record DeleteDag(@JsonProperty("dag_id") String dagId, @JsonProperty("recheck") boolean recheck)
      implements OutboxPayload {}

  /** One DAG run: cancel. */
  record DagRun(@JsonProperty("dag_id") String dagId, @JsonProperty("dag_run_id") String dagRunId)
      implements OutboxPayload {}

  /** Several DAG runs of one DAG: stop them all. */
  record DagRuns(
      @JsonProperty("dag_id") String dagId, @JsonProperty("dag_run_ids") List<String> dagRunIds)
      implements OutboxPayload {}

  /** A DAG run to start, with a deterministic id and its {@code conf}. */
  record Trigger(
      @JsonProperty("dag_id") String dagId,
      @JsonProperty("dag_run_id") String dagRunId,
      @JsonProperty("conf") Map<String, Object> conf)
      implements OutboxPayload {}
}
