package io.modelplane.server.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scoring DAG knows about its deployment: the JSON blob the runner reads ({@link
 * Deployment}), plus the DAG id, the server's URL and the schedule. Values only ever reach the
 * template as escaped literals ({@link DagRenderer}).
 */
public record ScoringDag(
    String dagId, String modelplaneUrl, String schedule, Deployment deployment) {

  /** The deployment, as the runner reads it from {@code deployment_json}. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({
    "deployment_id",
    "model_name",
    "name",
    "model_version",
    "model_alias",
    "model_uri",
    "source",
    "target",
    "entity_columns",
    "rerun_behavior",
    "partition_column",
    "write"
  })
  public record Deployment(
      @JsonProperty("deployment_id") String deploymentId,
      @JsonProperty("model_name") String modelName,
      @JsonProperty("name") String name,
      @JsonProperty("model_version") String modelVersion,
      @JsonProperty("model_alias") String modelAlias,
      @JsonProperty("source") Source source,
      @JsonProperty("target") Target target,
      @JsonProperty("entity_columns") List<String> entityColumns,
      @JsonProperty("rerun_behavior") String rerunBehavior,
      @JsonProperty("partition_column") String partitionColumn) {

    @JsonProperty("model_uri")
    public String modelUri() {
      return "models:/" + modelName + "/" + modelVersion;
    }

    /** How a run writes: overwrite its partition, or append without duplicates. */
    @JsonProperty("write")
    public Write write() {
      if ("overwrite_partition".equals(rerunBehavior)) {
        return new Write("overwrite_partition", partitionColumn, null);
      }
      List<String> keys = new ArrayList<>(entityColumns);
      keys.add("model_version");
      return new Write("append_dedup", null, keys);
    }
  }

  /** The table scored: its parts, its quoted SQL name, the row filter and snapshot. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Source(
      @JsonProperty("catalog") String catalog,
      @JsonProperty("schema") String schema,
      @JsonProperty("table") String table,
      @JsonProperty("table_sql") String tableSql,
      @JsonProperty("filter_sql") String filterSql,
      @JsonProperty("snapshot_id") Long snapshotId) {}

  /** The table the scores go to. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Target(
      @JsonProperty("catalog") String catalog,
      @JsonProperty("schema") String schema,
      @JsonProperty("table") String table,
      @JsonProperty("table_sql") String tableSql) {}

  /** {@code overwrite_partition} with its column, or {@code append_dedup} with its keys. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Write(
      @JsonProperty("mode") String mode,
      @JsonProperty("partition_column") String partitionColumn,
      @JsonProperty("dedup_keys") List<String> dedupKeys) {}

  /** The DAG file's source. */
  public String render(DagRenderer renderer, ObjectMapper json) {
    Map<String, Object> values = new HashMap<>();
    values.put("dag_id", dagId);
    values.put("modelplane_url", modelplaneUrl);
    values.put("schedule", schedule);
    try {
      values.put("deployment_json", json.writeValueAsString(deployment));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return renderer.render(DagRenderer.SCORING_DAG, values);
  }
}
