package io.modelplane.runner.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;

/**
 * What a data-engineering job runs, as the server renders it into the DAG ({@code --job-json}): its
 * id, the source and destination tables and the SELECT statement.
 */
record SqlJob(String jobId, String source, String destination, String sql) {

  static SqlJob parse(String json) {
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new RunnerException("--job-json is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new RunnerException("--job-json must be a JSON object");
    }
    return new SqlJob(
        text(node, "job_id", false),
        text(node, "source", true),
        text(node, "destination", true),
        text(node, "sql", true));
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new RunnerException("--job-json has no " + field);
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new RunnerException("--job-json field " + field + " must be a string");
    }
    return value.asText();
  }
}
