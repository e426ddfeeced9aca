package io.modelplane.runner.mlflow;

import java.util.List;
import java.util.Map;

/** The typed answers of {@link MlflowClient}, with MLflow's field meanings. */
public final class MlflowRecords {
  private MlflowRecords() {}

  /** An experiment; ids are strings in MLflow. */
  public record Experiment(
      String experimentId, String name, String artifactLocation, String lifecycleStage) {}

  /** A run's status, as {@code runs/update} takes it. */
  public enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED
  }

  /**
   * A run's metadata.
   *
   * @param endTime epoch milliseconds, or null while the run has not ended
   * @param artifactUri {@code mlflow-artifacts:/<exp>/<run>/artifacts}, a {@code file:} URI, ...
   */
  public record RunInfo(
      String runId,
      String experimentId,
      String runName,
      String status,
      long startTime,
      Long endTime,
      String artifactUri) {}

  /** One metric value; timestamps are epoch milliseconds. */
  public record Metric(String key, double value, long timestamp, long step) {}

  /**
   * A run with its data: the latest value of each metric, the params and tags.
   *
   * @param metrics the latest value of each metric, as {@code runs/get} answers them
   */
  public record Run(
      RunInfo info, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {}

  /** A registered model with its aliases (alias to version). */
  public record RegisteredModel(String name, Map<String, String> aliases) {}

  /**
   * A model version; the version number is a string ({@code "3"}), as MLflow sends it.
   *
   * @param source where the model's files are ({@code mlflow-artifacts:/...}, {@code file:...})
   * @param runId the run that logged the model, or null
   * @param status {@code READY} once usable
   */
  public record ModelVersion(
      String name,
      String version,
      String source,
      String runId,
      String status,
      List<String> aliases) {}

  /**
   * One entry of an artifact listing.
   *
   * @param path the entry's path relative to the listed URI ({@code sparkml/metadata/part-0})
   * @param fileSize the size in bytes, or null for a directory
   */
  public record ArtifactFile(String path, boolean isDir, Long fileSize) {}
}
