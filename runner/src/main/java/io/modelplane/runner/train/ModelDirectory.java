package io.modelplane.runner.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the model as docs/runner-model-format.md defines it: {@code MLmodel} with MLflow's {@code
 * spark} flavor (and {@code python_function}) plus Modelplane's metadata, and {@code sparkml/}, the
 * saved {@code PipelineModel}.
 */
final class ModelDirectory {
  static final String ARTIFACT_PATH = "model";
  static final String SPARK_MODEL_DATA = "sparkml";
  static final String PYSPARK_VERSION = "3.5.6";
  static final String MLFLOW_VERSION = "2.16.0";
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private ModelDirectory() {}

  /** Writes {@code <parent>/model/} and answers it. */
  static Path write(
      Path parent,
      TrainedModel model,
      TrainingJob job,
      Algorithm algorithm,
      TrainingData data,
      String runId,
      Instant now) {
    Path directory = parent.resolve(ARTIFACT_PATH);
    try {
      Files.createDirectories(directory);
      model.pipeline().write().overwrite().save(directory.resolve(SPARK_MODEL_DATA).toString());
      deleteChecksums(directory.resolve(SPARK_MODEL_DATA));
      YAML.writeValue(
          directory.resolve(MlflowModelFiles.MLMODEL).toFile(),
          mlmodel(job, algorithm, data, runId, now));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return directory;
  }

  static Map<String, Object> mlmodel(
      TrainingJob job, Algorithm algorithm, TrainingData data, String runId, Instant now) {
    Map<String, Object> spark = new LinkedHashMap<>();
    spark.put("pyspark_version", PYSPARK_VERSION);
    spark.put("model_data", SPARK_MODEL_DATA);
    spark.put("model_class", "pyspark.ml.pipeline.PipelineModel");
    Map<String, Object> pyfunc = new LinkedHashMap<>();
    pyfunc.put("loader_module", "mlflow.spark");
    pyfunc.put("python_version", "3.11");
    pyfunc.put("data", SPARK_MODEL_DATA);
    Map<String, Object> flavors = new LinkedHashMap<>();
    flavors.put("spark", spark);
    flavors.put("python_function", pyfunc);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("modelplane_problem_type", job.problemType().value());
    metadata.put("modelplane_algorithm", algorithm.value());
    metadata.put("modelplane_feature_columns", data.features().all());
    metadata.put("modelplane_label_column", job.labelColumn().orElse(null));
    job.groupColumn().ifPresent(group -> metadata.put("modelplane_group_column", group));
    if (!data.labelValues().isEmpty()) {
      metadata.put("modelplane_label_values", data.labelValues());
    }
    metadata.put("modelplane_source_table", data.table().toString());
    metadata.put("modelplane_source_snapshot_id", String.valueOf(data.snapshotId()));
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", ARTIFACT_PATH);
    mlmodel.put("flavors", flavors);
    mlmodel.put("run_id", runId);
    mlmodel.put("utc_time_created", CREATED.format(now));
    mlmodel.put("mlflow_version", MLFLOW_VERSION);
    mlmodel.put("metadata", metadata);
    return mlmodel;
  }

  /** Hadoop's local file system writes .crc files beside every file; MLflow needs none. */
  private static void deleteChecksums(Path directory) throws IOException {
    try (var files = Files.walk(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
        Files.delete(file);
      }
    }
  }
}
