package io.modelplane.runner.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.modelplane.runner.RunnerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A downloaded MLflow model directory and its {@code MLmodel} file: the flavors and their settings,
 * the run id, Modelplane's metadata and the signature's input columns. Where a flavor's files are
 * is {@code model_data} for MLflow's {@code spark} flavor and {@code data} for the others ({@code
 * xgboost}, {@code lightgbm}, {@code python_function}), as MLflow writes them.
 */
public final class MlflowModelFiles {
  public static final String MLMODEL = "MLmodel";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final JsonNode mlmodel;

  private MlflowModelFiles(Path directory, JsonNode mlmodel) {
    this.directory = directory;
    this.mlmodel = mlmodel;
  }

  /** Reads {@code <directory>/MLmodel}; a missing or unreadable file is a one-line error. */
  public static MlflowModelFiles read(Path directory) {
    Path file = directory.resolve(MLMODEL);
    if (!Files.isRegularFile(file)) {
      throw new RunnerException("the model has no MLmodel file (not an MLflow model)");
    }
    JsonNode node;
    try {
      node = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new RunnerException("the model's MLmodel file is not valid YAML: " + e.getMessage());
    }
    if (node == null || !node.isObject() || !node.path("flavors").isObject()) {
      throw new RunnerException("the model's MLmodel file has no flavors");
    }
    return new MlflowModelFiles(directory, node);
  }

  public Path directory() {
    return directory;
  }

  /** The flavor names, in the file's order ({@code python_function}, {@code spark}, ...). */
  public Set<String> flavorNames() {
    Set<String> names = new LinkedHashSet<>();
    mlmodel.path("flavors").fieldNames().forEachRemaining(names::add);
    return names;
  }

  public boolean hasFlavor(String name) {
    return mlmodel.path("flavors").has(name);
  }

  /** A flavor's settings as text ({@code model_format}, {@code xgb_version}, ...), when present. */
  public Optional<String> flavorSetting(String flavor, String setting) {
    JsonNode value = mlmodel.path("flavors").path(flavor).path(setting);
    return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
  }

  /**
   * The file or directory holding the flavor's model ({@code model_data} or {@code data}), inside
   * the model directory.
   */
  public Path modelData(String flavor) {
    if (!hasFlavor(flavor)) {
      throw new RunnerException(
          "the model has no "
              + flavor
              + " flavor (flavors: "
              + String.join(", ", flavorNames())
              + ")");
    }
    String relative =
        flavorSetting(flavor, "model_data")
            .or(() -> flavorSetting(flavor, "data"))
            .orElseThrow(
                () ->
                    new RunnerException(
                        "the model's "
                            + flavor
                            + " flavor names no model file (model_data or data)"));
    Path path = directory.resolve(relative).normalize();
    if (!path.startsWith(directory.normalize()) || relative.contains("..")) {
      throw new RunnerException(
          "the model's " + flavor + " flavor points outside the model: " + relative);
    }
    if (!Files.exists(path)) {
      throw new RunnerException("the model's " + flavor + " file " + relative + " is missing");
    }
    return path;
  }

  public Optional<String> runId() {
    return text(mlmodel.path("run_id"));
  }

  public Optional<String> mlflowVersion() {
    return text(mlmodel.path("mlflow_version"));
  }

  /** The {@code metadata} map (Modelplane writes {@code modelplane_*} keys), values as read. */
  public Map<String, Object> metadata() {
    JsonNode metadata = mlmodel.path("metadata");
    if (!metadata.isObject()) {
      return Map.of();
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = metadata.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      values.put(field.getKey(), YAML.convertValue(field.getValue(), Object.class));
    }
    return values;
  }

  /** A metadata value that is a list of strings ({@code modelplane_feature_columns}). */
  public List<String> metadataList(String key) {
    List<String> values = new ArrayList<>();
    mlmodel.path("metadata").path(key).forEach(node -> values.add(node.asText()));
    return values;
  }

  public Optional<String> metadataText(String key) {
    return text(mlmodel.path("metadata").path(key));
  }

  /**
   * The input column names of the signature (MLflow keeps {@code signature.inputs} as a JSON string
   * of column specs); empty when the model has no column signature.
   */
  public List<String> signatureInputNames() {
    JsonNode inputs = mlmodel.path("signature").path("inputs");
    if (!inputs.isTextual()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      for (JsonNode column : JSON.readTree(inputs.asText())) {
        if (column.hasNonNull("name")) {
          names.add(column.get("name").asText());
        }
      }
    } catch (IOException e) {
      throw new RunnerException("the model's signature inputs are not valid JSON");
    }
    return names;
  }

  private static Optional<String> text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
  }
}
