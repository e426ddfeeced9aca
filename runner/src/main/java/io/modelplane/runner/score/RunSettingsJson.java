package io.modelplane.runner.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import java.io.IOException;

/** {@code --settings-json}: the run's free settings, a JSON object (absent or empty: none). */
final class RunSettingsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunSettingsJson() {}

  /** The settings as a JSON object; anything else is a one-line failure. */
  static JsonNode requireObject(String text) {
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      throw new RunnerException(
          "--settings-json is not valid JSON: " + FilterExpression.firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new RunnerException("--settings-json must be a JSON object");
    }
    return node;
  }
}
