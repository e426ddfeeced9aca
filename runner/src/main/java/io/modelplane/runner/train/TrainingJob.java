package io.modelplane.runner.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job as the server's training DAG passes it ({@code JOB} in training_dag.py.peb, rendered by
 * TrainingJobService): the contract's fields in snake_case. Only {@code source_table}, {@code
 * problem_type} and {@code name} are required here; the rest have the contract's defaults.
 */
public record TrainingJob(
    String jobId,
    String name,
    String domain,
    String owner,
    String sourceTable,
    ProblemType problemType,
    String algorithm,
    Preset preset,
    Optional<String> labelColumn,
    Optional<List<String>> featureColumns,
    Optional<String> groupColumn,
    String experimentName,
    String registeredModelName) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses the job JSON; a missing required field or a malformed document is one clear line. */
  public static TrainingJob parse(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RunnerException(
          "--job-json is not valid JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "));
    }
    if (node == null || !node.isObject()) {
      throw new RunnerException("--job-json must be a JSON object");
    }
    String name = required(node, "name");
    String domain = text(node, "domain").orElse("default");
    ProblemType problemType = ProblemType.of(required(node, "problem_type"));
    String algorithm =
        text(node, "algorithm")
            .orElseThrow(() -> new RunnerException("--job-json has no 'algorithm'"));
    return new TrainingJob(
        text(node, "job_id").orElse("(none)"),
        name,
        domain,
        text(node, "owner").orElse(""),
        required(node, "source_table"),
        problemType,
        algorithm,
        Preset.of(text(node, "preset").orElse(null)),
        text(node, "label_column"),
        columns(node),
        text(node, "group_column"),
        text(node, "mlflow_experiment_name").orElse("modelplane/" + domain + "/" + name),
        text(node, "registered_model_name").orElse(name));
  }

  private static String required(JsonNode node, String field) {
    return text(node, field)
        .orElseThrow(() -> new RunnerException("--job-json has no '" + field + "'"));
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new RunnerException("--job-json field '" + field + "' must be a string");
    }
    return value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText().trim());
  }

  private static Optional<List<String>> columns(JsonNode node) {
    JsonNode value = node.get("feature_columns");
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw new RunnerException("--job-json field 'feature_columns' must be a list of strings");
    }
    List<String> columns = new ArrayList<>();
    value.forEach(item -> columns.add(item.asText()));
    return columns.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(columns));
  }
}
