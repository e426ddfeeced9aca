package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.modelplane.runner.RunnerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A model directory's {@code MLmodel} YAML: its flavors, the feature columns that {@code runner
 * train} records in {@code metadata}, and the input columns of the signature Python MLflow writes.
 */
record MlmodelFile(Path directory, JsonNode root) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  static MlmodelFile read(Path directory, String modelLabel) {
    Path file = directory.resolve("MLmodel");
    if (!Files.isRegularFile(file)) {
      throw new RunnerException(modelLabel + " has no MLmodel file: not an MLflow model");
    }
    try {
      JsonNode root = YAML.readTree(file.toFile());
      if (root == null || !root.path("flavors").isObject()) {
        throw new RunnerException(modelLabel + " has an MLmodel file without flavors");
      }
      return new MlmodelFile(directory, root);
    } catch (IOException e) {
      throw new RunnerException(modelLabel + " has an unreadable MLmodel file: " + e.getMessage());
    }
  }

  /** The flavors' names, sorted. */
  List<String> flavorNames() {
    List<String> names = new ArrayList<>();
    root.path("flavors").fieldNames().forEachRemaining(names::add);
    return List.copyOf(new TreeSet<>(names));
  }

  Optional<JsonNode> flavor(String name) {
    JsonNode node = root.path("flavors").get(name);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
  }

  /** {@code metadata.modelplane_feature_columns}, then the signature's input names. */
  List<String> featureColumns() {
    List<String> columns = new ArrayList<>();
    JsonNode recorded = root.path("metadata").path("modelplane_feature_columns");
    if (recorded.isArray()) {
      recorded.forEach(column -> columns.add(column.asText()));
      return columns;
    }
    JsonNode inputs = root.path("signature").path("inputs");
    if (inputs.isTextual()) {
      try {
        JSON.readTree(inputs.asText())
            .forEach(
                input -> {
                  if (input.hasNonNull("name")) {
                    columns.add(input.get("name").asText());
                  }
                });
      } catch (IOException e) {
        throw new RunnerException("the MLmodel signature's inputs are not JSON: " + e.getMessage());
      }
    }
    return columns;
  }

  /** A file of the model directory named by a flavor, refusing a name that leaves it. */
  Path file(String relative, String modelLabel) {
    Path resolved = directory.resolve(relative).normalize();
    if (!resolved.startsWith(directory.normalize()) || !Files.exists(resolved)) {
      throw new RunnerException(modelLabel + " has no model file " + relative);
    }
    return resolved;
  }
}
