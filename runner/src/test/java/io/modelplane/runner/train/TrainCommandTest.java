package io.modelplane.runner.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.mlflow.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code train} end to end against the MLflow stand-in: requests, model files, result file. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MlflowStandIn mlflow = MlflowStandIn.start();
  private final RunnerSettings settings =
      SharedSpark.fromEnvironment(
          "train", environment(SharedSpark.newFolder("warehouse-"), mlflow.url()));
  private final KnownAnswerTables tables = new KnownAnswerTables(settings);
  private final Path folder = SharedSpark.newFolder("train-");

  @BeforeAll
  void tables() {
    tables.binary("shop.churn", 1000);
  }

  @BeforeEach
  void forgetRequests() {
    mlflow.clearRequests();
  }

  @AfterAll
  void stop() {
    mlflow.close();
  }

  @Test
  void fastRunIsTrackedRegisteredAndWrittenToTheResultFile() throws IOException {
    Path result = folder.resolve("result.json");

    Outcome outcome =
        train(job("shop.churn", "binary_classification", "xgboost_classifier", "fast"), result);

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    List<String> calls = new ArrayList<>();
    for (RecordedRequest request : mlflow.requests()) {
      calls.add(
          request.method()
              + " "
              + request
                  .endpoint()
                  .replaceAll(
                      "artifacts/\\d+/[0-9a-f]+/artifacts/model/.*",
                      "artifacts/<exp>/<run>/artifacts/model/…"));
    }
    assertThat(calls.subList(0, 4))
        .containsExactly(
            "GET experiments/get-by-name",
            "POST experiments/create",
            "POST runs/create",
            "POST runs/log-batch");
    assertThat(calls.subList(calls.size() - 4, calls.size()))
        .containsExactly(
            "GET registered-models/get",
            "POST registered-models/create",
            "POST model-versions/create",
            "POST runs/update");
    assertThat(calls.subList(4, calls.size() - 4))
        .isNotEmpty()
        .allMatch(
            call ->
                call.equals(
                    "PUT /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/model/…"));

    JsonNode experiment = body(mlflow.requests("experiments/create").get(0));
    assertThat(experiment.path("name").asText()).isEqualTo("automl/sales/churn-model");
    JsonNode run = body(mlflow.requests("runs/create").get(0));
    Map<String, String> runTags = keyValues(run.path("tags"));
    assertThat(runTags)
        .containsEntry("modelplane.job_id", "7d6c3f8e-0000-4000-8000-000000000001")
        .containsEntry("modelplane.domain", "sales")
        .containsEntry("modelplane.owner", "ana")
        .containsEntry("modelplane.algorithm", "xgboost_classifier")
        .containsEntry("modelplane.preset", "fast")
        .containsEntry("modelplane.source_table", "shop.churn");

    JsonNode batch = body(mlflow.requests("runs/log-batch").get(0));
    Map<String, String> params = keyValues(batch.path("params"));
    assertThat(params)
        .containsEntry("preset", "fast")
        .containsEntry("label_column", "y")
        .containsEntry("feature_columns", "id,x1,x2,colour")
        .containsEntry("selection_metric", "auc")
        .containsEntry("model.numRound", "100")
        .containsEntry("model.max_depth", "6")
        .containsEntry("model.eta", "0.3");
    Map<String, Double> metrics = new HashMap<>();
    batch
        .path("metrics")
        .forEach(
            m ->
                metrics.put(
                    m.path("key").asText() + "@" + m.path("step").asLong(),
                    m.path("value").asDouble()));
    assertThat(metrics)
        .containsKeys(
            "trial_auc@0",
            "validation_auc@0",
            "validation_log_loss@0",
            "trials@0",
            "training_rows@0",
            "validation_rows@0");
    assertThat(metrics.get("trials@0")).isEqualTo(1.0);
    assertThat(metrics.get("validation_auc@0")).isGreaterThan(0.9);
    assertThat(metrics.get("training_rows@0") + metrics.get("validation_rows@0")).isEqualTo(1000.0);
    Map<String, String> tags = keyValues(batch.path("tags"));
    assertThat(tags).containsKeys("modelplane.source_snapshot_id", "modelplane.trial.0");
    assertThat(Long.parseLong(tags.get("modelplane.source_snapshot_id"))).isPositive();
    JsonNode version = body(mlflow.requests("model-versions/create").get(0));
    String runId = version.path("run_id").asText();
    assertThat(version.path("name").asText()).isEqualTo("churn-model");
    assertThat(version.path("source").asText())
        .matches("mlflow-artifacts:/\\d+/" + runId + "/artifacts/model");
    JsonNode update = body(mlflow.requests("runs/update").get(0));
    assertThat(update.path("status").asText()).isEqualTo("FINISHED");
    assertThat(update.path("run_id").asText()).isEqualTo(runId);

    JsonNode written = JSON.readTree(Files.readString(result));
    assertThat(written.path("mlflow_run_id").asText()).isEqualTo(runId);
    assertThat(written.path("registered_model_name").asText()).isEqualTo("churn-model");
    assertThat(written.path("model_version").asText()).isEqualTo("1");

    String modelPrefix = version.path("source").asText().substring("mlflow-artifacts:/".length());
    List<String> files = mlflow.artifactFiles(modelPrefix);
    assertThat(files)
        .contains(modelPrefix + "/MLmodel", modelPrefix + "/sparkml/metadata/part-00000");
    assertThat(files).noneMatch(file -> file.endsWith(".crc"));

    Path local = folder.resolve("downloaded");
    for (String file : files) {
      Path target = local.resolve(file.substring(modelPrefix.length() + 1));
      Files.createDirectories(target.getParent());
      Files.write(target, mlflow.artifact(file));
    }
    MlflowModelFiles mlmodel = MlflowModelFiles.read(local);
    assertThat(mlmodel.flavorNames()).containsExactlyInAnyOrder("spark", "python_function");
    assertThat(mlmodel.runId()).contains(runId);
    assertThat(mlmodel.metadataText("modelplane_problem_type")).contains("binary_classification");
    assertThat(mlmodel.metadataText("modelplane_algorithm")).contains("xgboost_classifier");
    assertThat(mlmodel.metadataText("modelplane_label_column")).contains("y");
    assertThat(mlmodel.metadataList("modelplane_feature_columns"))
        .containsExactly("id", "x1", "x2", "colour");

    PipelineModel pipeline = PipelineModel.load(mlmodel.modelData("spark").toString());
    Dataset<Row> scored =
        pipeline.transform(
            SharedSpark.session(settings)
                .table(settings.catalogName() + ".shop.churn")
                .drop("y")
                .limit(20));
    assertThat(scored.columns()).contains("prediction", "probability");
    assertThat(scored.count()).isEqualTo(20);
  }

  @Test
  void largerPresetsRunMoreTrialsAndNeverScoreWorseThanFast() {
    Map<String, Integer> trials = new HashMap<>();
    Map<String, Double> auc = new HashMap<>();
    for (String preset : List.of("fast", "balanced", "best_quality")) {
      mlflow.clearRequests();
      Outcome outcome =
          train(job("shop.churn", "binary_classification", "xgboost_classifier", preset), null);
      assertThat(outcome.exitCode()).as(outcome.err()).isZero();
      JsonNode batch = body(mlflow.requests("runs/log-batch").get(0));
      int count = 0;
      for (JsonNode metric : batch.path("metrics")) {
        if (metric.path("key").asText().equals("trial_auc")) {
          count++;
        }
        if (metric.path("key").asText().equals("validation_auc")) {
          auc.put(preset, metric.path("value").asDouble());
        }
      }
      trials.put(preset, count);
    }
    assertThat(trials)
        .containsEntry("fast", 1)
        .containsEntry("balanced", 5)
        .containsEntry("best_quality", 7);
    assertThat(auc.get("balanced")).isGreaterThanOrEqualTo(auc.get("fast"));
    assertThat(auc.get("best_quality")).isGreaterThanOrEqualTo(auc.get("fast"));
  }

  @Test
  void vowpalWabbitIsRefusedBeforeAnyDataIsReadNamingTheSupportedAlgorithms() {
    Outcome outcome =
        train(job("shop.no_such_table", "contextual_bandit", "vw_contextual_bandit", "fast"), null);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err().lines().toList())
        .containsExactly(
            "modelplane-runner: algorithm 'vw_contextual_bandit' is not supported by this runner"
                + " (no Vowpal Wabbit binding is available); it trains: xgboost_classifier,"
                + " xgboost_regressor, xgboost_ranker, lightgbm_classifier, lightgbm_regressor,"
                + " lightgbm_ranker, isolation_forest");
    assertThat(mlflow.requests()).isEmpty();
  }

  @Test
  void aMissingTableIsOneLineAndNoRun() {
    Outcome outcome =
        train(job("shop.missing", "binary_classification", "xgboost_classifier", "fast"), null);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err().lines().toList())
        .containsExactly(
            "modelplane-runner: table " + settings.catalogName() + ".shop.missing does not exist");
    assertThat(mlflow.requests()).isEmpty();
  }

  @Test
  void aMissingLabelColumnFailsTheRunAndRegistersNothing() {
    ObjectNode job = job("shop.churn", "binary_classification", "xgboost_classifier", "fast");
    job.put("label_column", "churned");

    Outcome outcome = train(job, null);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err().lines().toList())
        .containsExactly(
            "modelplane-runner: label_column 'churned' is not a column of table "
                + settings.catalogName()
                + ".shop.churn (columns: id, x1, x2, colour, y)");
    assertFailedRunWithoutModel();
  }

  @Test
  void sevenClassesForBinaryClassificationIsRefused() {
    tables.multiclass("shop.seven", 200);
    SharedSpark.session(settings)
        .sql(
            "UPDATE "
                + settings.catalogName()
                + ".shop.seven SET kind = CAST(CAST(x1 * 2 AS INT) % 7 AS STRING)");
    ObjectNode job = job("shop.seven", "binary_classification", "lightgbm_classifier", "fast");
    job.put("label_column", "kind");

    Outcome outcome = train(job, null);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err().lines().toList()).hasSize(1);
    assertThat(outcome.err())
        .matches(
            "modelplane-runner: label_column 'kind' has \\d+ distinct values; binary_classification needs exactly 2\\s*");
    assertFailedRunWithoutModel();
  }

  @Test
  void tooFewRowsIsRefused() {
    tables.regression("shop.tiny", 30);
    ObjectNode job = job("shop.tiny", "regression", "lightgbm_regressor", "fast");

    Outcome outcome = train(job, null);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err().lines().toList())
        .containsExactly(
            "modelplane-runner: table "
                + settings.catalogName()
                + ".shop.tiny has 30 usable rows (rows with a non-null y); training needs at least 50");
    assertFailedRunWithoutModel();
  }

  @Test
  void rankingWithoutAGroupColumnIsRefused() {
    Outcome outcome = train(job("shop.churn", "ranking", "xgboost_ranker", "fast"), null);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err()).contains("group_column is required for problem_type ranking");
  }

  private void assertFailedRunWithoutModel() {
    assertThat(mlflow.requests("runs/update")).hasSize(1);
    assertThat(body(mlflow.requests("runs/update").get(0)).path("status").asText())
        .isEqualTo("FAILED");
    assertThat(mlflow.requests("model-versions/create")).isEmpty();
    assertThat(mlflow.requests("registered-models/create")).isEmpty();
  }

  private Outcome train(ObjectNode job, Path result) {
    List<String> args = new ArrayList<>(List.of("train", "--job-json", job.toString()));
    if (result != null) {
      args.add("--result-file");
      args.add(result.toString());
    }
    return SharedSpark.run(settings, args.toArray(String[]::new));
  }

  private static ObjectNode job(String table, String problem, String algorithm, String preset) {
    ObjectNode job = TrainingJobs.node(table, problem, algorithm, preset, "y", null);
    return job;
  }

  private static JsonNode body(RecordedRequest request) {
    try {
      return JSON.readTree(request.bodyText());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> keyValues(JsonNode list) {
    Map<String, String> values = new HashMap<>();
    list.forEach(item -> values.put(item.path("key").asText(), item.path("value").asText()));
    return values;
  }

  private static Map<String, String> environment(Path warehouse, String mlflowUrl) {
    return Map.of(
        "MODELPLANE_ICEBERG_WAREHOUSE", warehouse.toString(), "MODELPLANE_MLFLOW_URL", mlflowUrl);
  }
}
