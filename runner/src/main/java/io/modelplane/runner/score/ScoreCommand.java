package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.score.model.ModelFormats;
import io.modelplane.runner.score.model.ModelStaging;
import io.modelplane.runner.score.model.ScoringModel;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code score}: what a deployment's scoring DAG runs. Reads the source (at a snapshot, filtered),
 * scores it with the deployment's MLflow model version, writes the target in one Iceberg commit and
 * reports {@code rows_scored}.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Batch-score a deployment's Iceberg source table with its MLflow model version and write"
          + " the predictions to its target table (one commit; overwrite_partition replaces this"
          + " run's partition, append_dedup merges on the entity columns and the model version).",
      "Writes {\"rows_scored\": N} to --result-file (default $MODELPLANE_RESULT_FILE)."
    })
public final class ScoreCommand implements Callable<Integer> {

  private final RunnerSettings settings;

  @Spec CommandSpec spec;

  @Option(
      names = "--deployment-json",
      required = true,
      description = "the deployment as the scoring DAG passes it (DEPLOYMENT)")
  String deploymentJson;

  @Option(
      names = "--snapshot-id",
      description = "the source snapshot to read (empty: the deployment's, else the current one)")
  String snapshotId;

  @Option(names = "--run-id", required = true, description = "the Airflow run id")
  String runId;

  @Option(
      names = "--run-tags-json",
      description =
          "the run's tags as the DAG passes them (a JSON object): written to the summary of the"
              + " target's commit as modelplane.run-tag.<key>")
  String runTagsJson;

  @Option(
      names = "--settings-json",
      description =
          "the run's free settings (a JSON object) as given at trigger time (accepted and"
              + " checked; no setting changes how the scorer works yet)")
  String settingsJson;

  @Option(
      names = "--logical-date",
      description =
          "the DAG run's logical date (ISO-8601): the partition column's value; empty: now")
  String logicalDate;

  @Option(
      names = "--result-file",
      defaultValue = "${env:MODELPLANE_RESULT_FILE}",
      description = "where to write {\"rows_scored\": N} (default $MODELPLANE_RESULT_FILE)")
  Path resultFile;

  public ScoreCommand(RunnerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() throws IOException {
    RunSettingsJson.requireObject(settingsJson);
    ScoringDeployment deployment = ScoringDeployment.parse(deploymentJson, settings.catalogName());
    ScoredRows.checkColumnNames(deployment.entityColumns(), deployment.partitionColumn());
    Optional<Long> snapshot = snapshot().or(deployment::snapshotId);
    Instant scoredAt = ScoredAt.of(logicalDate, Instant::now);
    RunTags tags = RunTags.parse(runTagsJson);
    String modelLabel =
        "model '" + deployment.modelName() + "' version " + deployment.modelVersion();

    SparkSession spark = SparkSessions.open(settings);
    Path modelFolder =
        new ModelVersionDownload(MlflowClient.fromSettings(settings.mlflow()))
            .download(deployment.modelName(), deployment.modelVersion(), modelLabel);
    // A spark-flavor pipeline that Spark must run is staged on the warehouse's file system for
    // the executors and deleted only after the write: a Spark ML pipeline reads some of its
    // stages' data (an imputer's surrogates) lazily while it scores. Train's pipelines are read
    // by the driver from the download folder (SparkFlavor), which is kept until the end.
    try (ModelStaging staging = ModelStaging.forRun(spark, settings, runId)) {
      ScoringModel model;
      try {
        model = ModelFormats.load(modelFolder, modelLabel, staging);
      } finally {
        if (staging.stagedLocation().isPresent()) {
          ModelVersionDownload.delete(modelFolder);
        }
      }
      Dataset<Row> source =
          new SourceRows(spark)
              .read(
                  deployment.source(),
                  snapshot,
                  deployment.filterSql(),
                  deployment.entityColumns(),
                  model.featureColumns());
      Dataset<Row> scored = ScoredRows.of(model.score(source), deployment, runId, scoredAt);
      // The commit's snapshot summary carries the run id and tags (Iceberg reads them from this
      // thread when the write commits).
      long rows =
          CommitMetadata.withCommitProperties(
              tags.commitProperties(runId),
              () -> new TargetTable(spark).write(scored, deployment, scoredAt),
              RuntimeException.class);
      writeResult(rows);
      spec.commandLine()
          .getOut()
          .printf(
              "scored %d rows of %s%s with %s (%s) into %s, %s=%s%n",
              rows,
              deployment.source(),
              snapshot.map(id -> " at snapshot " + id).orElse(""),
              modelLabel,
              model.describe(),
              deployment.target(),
              deployment.partitionColumn(),
              scoredAt);
    } finally {
      ModelVersionDownload.delete(modelFolder);
    }
    return 0;
  }

  private Optional<Long> snapshot() {
    if (snapshotId == null || snapshotId.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(snapshotId.trim()));
    } catch (NumberFormatException e) {
      throw new RunnerException(
          "--snapshot-id must be a snapshot id (a number), not " + snapshotId);
    }
  }

  private void writeResult(long rows) throws IOException {
    if (resultFile == null) {
      return;
    }
    Files.writeString(resultFile, "{\"rows_scored\": " + rows + "}\n", StandardCharsets.UTF_8);
  }
}
