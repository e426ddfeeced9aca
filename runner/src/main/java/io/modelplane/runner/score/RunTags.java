package io.modelplane.runner.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's tags ({@code --run-tags-json}: the {@code tags} of a trigger, {@code {}} for a
 * scheduled run) and where they are written: the summary of the Iceberg snapshot that the run's
 * write commits, as {@code modelplane.run-tag.<key>}, next to {@code modelplane.airflow-run-id}.
 * The summary travels with the table (time travel, {@code <table>.snapshots}) and leaves the
 * target's schema alone, so existing targets keep fitting.
 */
public final class RunTags {

  static final String TAG_PREFIX = "modelplane.run-tag.";
  static final String RUN_ID = "modelplane.airflow-run-id";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> tags;

  private RunTags(Map<String, String> tags) {
    this.tags = Collections.unmodifiableMap(tags);
  }

  /**
   * A JSON object of tags; empty, blank or {@code null} is no tags. A value that is not a string is
   * kept as its JSON text.
   */
  static RunTags parse(String json) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (json == null || json.isBlank()) {
      return new RunTags(tags);
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RunnerException(
          "--run-tags-json is not JSON: " + FilterExpression.firstLine(e.getOriginalMessage()));
    }
    if (node == null || node.isNull()) {
      return new RunTags(tags);
    }
    if (!node.isObject()) {
      throw new RunnerException("--run-tags-json must be a JSON object of tags, not " + json);
    }
    node.fields()
        .forEachRemaining(
            field ->
                tags.put(
                    field.getKey(),
                    field.getValue().isTextual()
                        ? field.getValue().asText()
                        : field.getValue().toString()));
    return new RunTags(tags);
  }

  Map<String, String> tags() {
    return tags;
  }

  /** The snapshot summary properties of the run's commit. */
  Map<String, String> commitProperties(String airflowRunId) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(RUN_ID, airflowRunId);
    tags.forEach((key, value) -> properties.put(TAG_PREFIX + key, value));
    return properties;
  }
}
