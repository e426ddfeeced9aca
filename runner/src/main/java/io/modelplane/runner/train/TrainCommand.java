package io.modelplane.runner.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.mlflow.MlflowRecords.ModelVersion;
import io.modelplane.runner.mlflow.MlflowRecords.RunInfo;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train --job-json JSON}: the AutoML training of one Modelplane training job, as the
 * training DAG runs it. Checks the job (an unsupported algorithm fails before any data is read),
 * reads the source table at its current snapshot, trains with the preset's budget, tracks the run
 * in MLflow, registers the model version and writes {@code {"mlflow_run_id",
 * "registered_model_name"}} to the result file, which {@code dag-helper wrap} turns into the job's
 * {@code complete}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train the model of a Modelplane training job on Spark, track it in MLflow and register"
            + " a model version. Writes {\"mlflow_run_id\": …, \"registered_model_name\": …} to"
            + " --result-file (default $MODELPLANE_RESULT_FILE).")
public final class TrainCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunnerSettings settings;

  @Spec CommandSpec spec;

  @Option(
      names = "--job-json",
      required = true,
      description = "the job as the training DAG passes it (JSON object)")
  String jobJson;

  @Option(
      names = "--result-file",
      defaultValue = "${env:MODELPLANE_RESULT_FILE}",
      description = "where to write the run id and model name (default $MODELPLANE_RESULT_FILE)")
  Path resultFile;

  public TrainCommand(RunnerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() throws IOException {
    TrainingJob job = TrainingJob.parse(jobJson);
    Algorithm algorithm = Algorithm.supported(job.algorithm(), job.problemType());
    MlflowClient mlflow = MlflowClient.fromSettings(settings.mlflow());
    TableName table = TableName.parse(job.sourceTable(), settings.catalogName());
    SparkSession spark = SparkSessions.open(settings);
    IcebergTables tables = new IcebergTables(spark);
    tables.requireExists(table);
    MlflowTracking tracking = new MlflowTracking(mlflow, Clock.systemUTC());
    // From here on a failure is recorded on the run (FAILED, with the reason as a tag).
    RunInfo run = tracking.start(job, algorithm);
    Path workDir = Files.createTempDirectory("modelplane-train-");
    TrainingData data = null;
    ModelVersion version;
    try {
      data = TrainingData.load(tables, table, job);
      int workers = TrainingWorkers.count(spark.sparkContext());
      TrainedModel model = Trainer.train(job, algorithm, data, workers);
      Path modelDir =
          ModelDirectory.write(
              workDir, model, job, algorithm, data, run.runId(), Clock.systemUTC().instant());
      version = tracking.finish(run, job, data, model, modelDir);
      spec.commandLine()
          .getOut()
          .println(
              "trained "
                  + algorithm.value()
                  + " ("
                  + job.preset().value()
                  + ", "
                  + model.trials().size()
                  + " trials) on "
                  + table
                  + " snapshot "
                  + data.snapshotId()
                  + ": "
                  + model.validationMetrics()
                  + "; MLflow run "
                  + run.runId()
                  + ", model "
                  + version.name()
                  + " version "
                  + version.version());
    } catch (RuntimeException e) {
      tracking.fail(run, e);
      throw e;
    } finally {
      if (data != null) {
        data.release();
      }
      deleteTree(workDir);
    }
    writeResult(run.runId(), version);
    return 0;
  }

  private void writeResult(String runId, ModelVersion version) throws IOException {
    if (resultFile == null) {
      return;
    }
    Map<String, String> result = new LinkedHashMap<>();
    result.put("mlflow_run_id", runId);
    result.put("registered_model_name", version.name());
    result.put("model_version", version.version());
    Path parent = resultFile.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(resultFile, JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new RunnerException("cannot clean up " + root + ": " + e.getMessage(), e);
    }
  }
}
