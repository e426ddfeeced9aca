package io.modelplane.daghelper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a successful task reports besides its status. All fields are optional.
 *
 * <p>It is also the format of the <em>result file</em> that a command run by {@code wrap} may write
 * to the path in {@code $MODELPLANE_RESULT_FILE}: one JSON object, e.g. {@code {"mlflow_run_id":
 * "a1b2", "registered_model_name": "churn", "rows_scored": 1200}}.
 *
 * @param mlflowRunId the MLflow run of a training job
 * @param registeredModelName the model a training job registered
 * @param rowsScored how many rows a deployment run scored
 */
public record TaskResult(String mlflowRunId, String registeredModelName, Long rowsScored) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A result without any field.
   *
   * @return an empty result
   */
  public static TaskResult empty() {
    return new TaskResult(null, null, null);
  }

  /**
   * Reads a result file.
   *
   * @param file the file
   * @return the result
   * @throws IOException when the file cannot be read or is not a result object
   */
  public static TaskResult read(Path file) throws IOException {
    JsonNode json;
    try {
      json = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException("result file is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (json == null || json.isMissingNode() || json.isNull()) {
      return empty();
    }
    if (!json.isObject()) {
      throw new IOException("result file must hold a JSON object");
    }
    JsonNode rows = json.path("rows_scored");
    Long rowsScored = null;
    if (!rows.isMissingNode() && !rows.isNull()) {
      if (!rows.isIntegralNumber() || !rows.canConvertToLong() || rows.asLong() < 0) {
        throw new IOException("rows_scored in the result file must be a non-negative integer");
      }
      rowsScored = rows.asLong();
    }
    return new TaskResult(
        text(json, "mlflow_run_id"), text(json, "registered_model_name"), rowsScored);
  }

  /**
   * Writes this result as a result file (for a Java program run by {@code wrap}).
   *
   * @param file the file, usually {@code Path.of(System.getenv("MODELPLANE_RESULT_FILE"))}
   * @throws IOException when the file cannot be written
   */
  public void write(Path file) throws IOException {
    ObjectNode json = MAPPER.createObjectNode();
    if (mlflowRunId != null) {
      json.put("mlflow_run_id", mlflowRunId);
    }
    if (registeredModelName != null) {
      json.put("registered_model_name", registeredModelName);
    }
    if (rowsScored != null) {
      json.put("rows_scored", rowsScored);
    }
    Files.writeString(file, MAPPER.writeValueAsString(json));
  }

  private static String text(JsonNode json, String field) {
    JsonNode v = json.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }
}
