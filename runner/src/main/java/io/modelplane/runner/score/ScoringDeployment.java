package io.modelplane.runner.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.TableName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the rendered scoring DAG passes as {@code --deployment-json}: the server's {@code
 * DEPLOYMENT} object (DeploymentService#withRenderedDag). Only the fields the scorer needs are
 * read; identifiers are checked again here (defence in depth: the server checked them already).
 *
 * @param modelVersion the version to score with: the pinned one, or the alias resolved by the
 *     server when the DAG was rendered
 */
public record ScoringDeployment(
    String name,
    String modelName,
    String modelVersion,
    TableName source,
    Optional<String> filterSql,
    Optional<Long> snapshotId,
    TableName target,
    List<String> entityColumns,
    RerunBehavior rerunBehavior,
    String partitionColumn) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a rerun writes the target. */
  public enum RerunBehavior {
    OVERWRITE_PARTITION,
    APPEND_DEDUP;

    static RerunBehavior parse(String value) {
      return switch (value) {
        case "overwrite_partition" -> OVERWRITE_PARTITION;
        case "append_dedup" -> APPEND_DEDUP;
        default ->
            throw new RunnerException(
                "deployment rerun_behavior must be overwrite_partition or append_dedup, not '"
                    + value
                    + "'");
      };
    }
  }

  /** Parses the DAG's deployment JSON; a missing or wrong field is named in the message. */
  public static ScoringDeployment parse(String json, String defaultCatalog) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new RunnerException(
          "--deployment-json is not valid JSON: " + FilterExpression.firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new RunnerException("--deployment-json must be a JSON object");
    }
    JsonNode source = object(root, "source");
    JsonNode target = object(root, "target");
    List<String> entityColumns = new ArrayList<>();
    JsonNode entities = root.path("entity_columns");
    if (!entities.isArray() || entities.isEmpty()) {
      throw new RunnerException("deployment entity_columns must be a non-empty list");
    }
    entities.forEach(column -> entityColumns.add(TableName.requireIdentifier(column.asText())));
    String partition =
        root.hasNonNull("partition_column") ? root.get("partition_column").asText() : "scored_at";
    return new ScoringDeployment(
        text(root, "name"),
        text(root, "model_name"),
        text(root, "model_version"),
        table(source, "source", defaultCatalog),
        optionalText(source, "filter_sql"),
        source.hasNonNull("snapshot_id")
            ? Optional.of(source.get("snapshot_id").asLong())
            : Optional.empty(),
        table(target, "target", defaultCatalog),
        List.copyOf(entityColumns),
        RerunBehavior.parse(
            root.hasNonNull("rerun_behavior")
                ? root.get("rerun_behavior").asText()
                : "overwrite_partition"),
        TableName.requireIdentifier(partition));
  }

  private static TableName table(JsonNode node, String field, String defaultCatalog) {
    String catalog = node.hasNonNull("catalog") ? node.get("catalog").asText() : defaultCatalog;
    String schema = node.hasNonNull("schema") ? node.get("schema").asText() : null;
    String table = node.hasNonNull("table") ? node.get("table").asText() : null;
    if (schema == null || table == null) {
      throw new RunnerException("deployment " + field + " needs schema and table");
    }
    return new TableName(catalog, schema, table);
  }

  private static JsonNode object(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isObject()) {
      throw new RunnerException("deployment JSON has no " + field + " object");
    }
    return node;
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull() || node.asText().isBlank()) {
      throw new RunnerException("deployment JSON has no " + field);
    }
    return node.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    return node.hasNonNull(field) && !node.get(field).asText().isBlank()
        ? Optional.of(node.get(field).asText())
        : Optional.empty();
  }
}
