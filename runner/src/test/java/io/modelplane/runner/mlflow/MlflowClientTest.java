package io.modelplane.runner.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowRecords.Metric;
import io.modelplane.runner.mlflow.MlflowRecords.ModelVersion;
import io.modelplane.runner.mlflow.MlflowRecords.Run;
import io.modelplane.runner.mlflow.MlflowRecords.RunInfo;
import io.modelplane.runner.mlflow.MlflowRecords.RunStatus;
import io.modelplane.runner.spark.RunnerSettings.MlflowSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.mlflow.PythonModel;
import io.modelplane.testsupport.mlflow.RecordedRequest;
import io.modelplane.testsupport.mlflow.RegisteredModelVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowClientTest {
  private MlflowStandIn mlflow;
  private MlflowClient client;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    mlflow = MlflowStandIn.start();
    client = MlflowClient.builder(mlflow.url()).build();
  }

  @AfterEach
  void stop() {
    mlflow.close();
  }

  @Test
  void getOrCreateExperimentCreatesOnceThenFindsIt() {
    String id = client.getOrCreateExperiment("churn");
    assertThat(client.getOrCreateExperiment("churn")).isEqualTo(id);

    List<RecordedRequest> requests = mlflow.requests();
    assertThat(requests)
        .extracting(RecordedRequest::toString)
        .containsExactly(
            "GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=churn",
            "POST /api/2.0/mlflow/experiments/create",
            "GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=churn");
    assertThat(requests.get(1).bodyText()).isEqualTo("{\"name\":\"churn\"}");
    assertThat(client.getExperimentByName("absent")).isEmpty();
  }

  @Test
  void aRunIsCreatedLoggedInBatchesWithinMlflowsLimitsAndFinished() {
    String experimentId = client.getOrCreateExperiment("e");
    mlflow.clearRequests();
    RunInfo run =
        client.createRun(experimentId, "train-j1", 1_700_000_000_000L, Map.of("job", "j1"));
    assertThat(run.status()).isEqualTo("RUNNING");
    assertThat(run.artifactUri())
        .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + run.runId() + "/artifacts");
    assertThat(mlflow.requests("runs/create").get(0).bodyText())
        .isEqualTo(
            "{\"experiment_id\":\""
                + experimentId
                + "\",\"run_name\":\"train-j1\",\"start_time\":1700000000000,"
                + "\"tags\":[{\"key\":\"job\",\"value\":\"j1\"}]}");

    Map<String, String> params = new LinkedHashMap<>();
    IntStream.range(0, 250).forEach(i -> params.put("p" + i, "v" + i));
    List<Metric> metrics =
        IntStream.range(0, 5)
            .mapToObj(i -> new Metric("auc", 0.5 + i / 10.0, 1000L + i, i))
            .toList();
    client.logBatch(run.runId(), metrics, params, Map.of("algorithm", "xgboost"));
    client.logMetric(run.runId(), new Metric("rmse", Double.NaN, 2000L, 0));
    assertThat(mlflow.requests("runs/log-batch")).hasSize(3);
    assertThat(mlflow.requests("runs/log-metric").get(0).bodyText()).contains("\"value\":\"NaN\"");

    RunInfo finished = client.updateRun(run.runId(), RunStatus.FINISHED, 1_700_000_009_000L);
    assertThat(finished.status()).isEqualTo("FINISHED");
    assertThat(finished.endTime()).isEqualTo(1_700_000_009_000L);
    assertThat(mlflow.requests("runs/update").get(0).bodyText())
        .isEqualTo(
            "{\"run_id\":\""
                + run.runId()
                + "\",\"status\":\"FINISHED\",\"end_time\":1700000009000}");

    Run stored = client.getRun(run.runId());
    assertThat(stored.params()).hasSize(250).containsEntry("p249", "v249");
    assertThat(stored.tags()).containsEntry("algorithm", "xgboost").containsEntry("job", "j1");
    assertThat(stored.metrics())
        .filteredOn(metric -> metric.key().equals("auc"))
        .singleElement()
        .satisfies(metric -> assertThat(metric.value()).isEqualTo(0.9));
  }

  @Test
  void aDirectoryTreeGoesUpThroughTheProxyAndComesBackIdentical() throws IOException {
    Path model = dir.resolve("model");
    write(model.resolve("MLmodel"), "artifact_path: model\n");
    write(model.resolve("sparkml/metadata/part-00000"), "{\"class\": \"PipelineModel\"}");
    write(model.resolve("sparkml/stages/0 encoder/data.parquet"), "bytes");
    String runRoot = client.createRun("0", null, 1L, Map.of()).artifactUri();

    client.uploadArtifacts(runRoot + "/model", model);
    assertThat(mlflow.requests("/api/2.0/mlflow-artifacts/artifacts/"))
        .extracting(RecordedRequest::method)
        .containsOnly("PUT")
        .hasSize(3);
    assertThat(mlflow.requests("/api/2.0/mlflow-artifacts/artifacts/").get(2).path())
        .endsWith("/artifacts/model/sparkml/stages/0 encoder/data.parquet");

    Path copy = dir.resolve("copy");
    List<String> files = client.downloadArtifacts(runRoot + "/model", copy);
    assertThat(files)
        .containsExactly(
            "MLmodel", "sparkml/metadata/part-00000", "sparkml/stages/0 encoder/data.parquet");
    for (String file : files) {
      assertThat(copy.resolve(file)).hasSameBinaryContentAs(model.resolve(file));
    }
    assertThat(client.listArtifacts(runRoot))
        .singleElement()
        .satisfies(entry -> assertThat(entry.isDir()).isTrue());
  }

  @Test
  void aFileArtifactStoreIsReadAndWrittenDirectly() throws IOException {
    try (MlflowStandIn local = MlflowStandIn.builder().fileArtifactStore().start()) {
      MlflowClient localClient = MlflowClient.builder(local.url()).build();
      RunInfo run = localClient.createRun("0", "r", 1L, Map.of());
      assertThat(run.artifactUri()).startsWith("file:/");
      Path model = dir.resolve("model");
      write(model.resolve("MLmodel"), "flavors: {}\n");
      write(model.resolve("sparkml/a/b"), "x");
      localClient.uploadArtifacts(run.artifactUri() + "/model", model);
      assertThat(local.requests("/api/2.0/mlflow-artifacts")).isEmpty();
      assertThat(local.artifactFiles("0/" + run.runId())).hasSize(2);

      List<String> files =
          localClient.downloadArtifacts(run.artifactUri() + "/model", dir.resolve("back"));
      assertThat(files).containsExactly("MLmodel", "sparkml/a/b");
      // runs:/ URIs resolve through the run.
      assertThat(
              localClient.downloadArtifacts("runs:/" + run.runId() + "/model", dir.resolve("runs")))
          .containsExactly("MLmodel", "sparkml/a/b");
    }
  }

  @Test
  void downloadingWhereThereIsNothingNamesTheUri() {
    assertThatThrownBy(
            () -> client.downloadArtifacts("mlflow-artifacts:/0/none/artifacts/model", dir))
        .isInstanceOf(RunnerException.class)
        .hasMessage("MLflow has no artifacts at mlflow-artifacts:/0/none/artifacts/model");
    assertThatThrownBy(() -> client.downloadArtifacts("s3://bucket/model", dir))
        .isInstanceOf(RunnerException.class)
        .hasMessageContaining("scheme 's3'");
  }

  @Test
  void theRegistryCreatesModelsAndVersionsAndResolvesAliases() {
    RunInfo run = client.createRun("0", "r", 1L, Map.of());
    assertThat(client.getOrCreateRegisteredModel("churn").name()).isEqualTo("churn");
    assertThat(client.getOrCreateRegisteredModel("churn").name()).isEqualTo("churn");
    assertThat(mlflow.requests("registered-models/create")).hasSize(1);

    String source = run.artifactUri() + "/model";
    ModelVersion version = client.createModelVersion("churn", source, run.runId());
    assertThat(version.version()).isEqualTo("1");
    assertThat(version.status()).isEqualTo("READY");
    assertThat(mlflow.requests("model-versions/create").get(0).bodyText())
        .isEqualTo(
            "{\"name\":\"churn\",\"source\":\""
                + source
                + "\",\"run_id\":\""
                + run.runId()
                + "\"}");
    assertThat(client.getModelVersion("churn", "1").source()).isEqualTo(source);
    assertThat(client.getModelVersionDownloadUri("churn", "1")).isEqualTo(source);

    assertThatThrownBy(() -> client.getModelVersion("churn", "9"))
        .isInstanceOfSatisfying(
            MlflowException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.isResourceDoesNotExist()).isTrue();
            })
        .hasMessage(
            "MLflow model-versions/get answered 404 RESOURCE_DOES_NOT_EXIST:"
                + " Model Version (name=churn, version=9) not found");
    assertThatThrownBy(() -> client.getModelVersionByAlias("churn", "champion"))
        .isInstanceOfSatisfying(
            MlflowException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            });
    mlflow.setAlias("churn", "champion", "1");
    ModelVersion aliased = client.getModelVersionByAlias("churn", "champion");
    assertThat(aliased.version()).isEqualTo("1");
    assertThat(aliased.aliases()).containsExactly("champion");
  }

  @Test
  void bearerAndBasicCredentialsComeFromTheSettings() {
    try (MlflowStandIn bearer = MlflowStandIn.builder().bearerToken("tok-123").start();
        MlflowStandIn basic = MlflowStandIn.builder().basicAuth("ana", "pw-456").start()) {
      MlflowClient withToken =
          MlflowClient.fromSettings(
              new MlflowSettings(
                  Optional.of(bearer.url()),
                  Optional.of("tok-123"),
                  Optional.empty(),
                  Optional.empty()));
      assertThat(withToken.getOrCreateExperiment("a")).isEqualTo("1");
      assertThat(bearer.requests().get(0).authorization()).isEqualTo("Bearer tok-123");

      MlflowClient withPassword =
          MlflowClient.fromSettings(
              new MlflowSettings(
                  Optional.of(basic.url()),
                  Optional.empty(),
                  Optional.of("ana"),
                  Optional.of("pw-456")));
      assertThat(withPassword.getOrCreateExperiment("b")).isEqualTo("1");

      MlflowClient wrong =
          MlflowClient.fromSettings(
              new MlflowSettings(
                  Optional.of(basic.url()),
                  Optional.empty(),
                  Optional.of("ana"),
                  Optional.of("nope-789")));
      assertThatThrownBy(() -> wrong.getOrCreateExperiment("c"))
          .isInstanceOfSatisfying(MlflowException.class, e -> assertThat(e.status()).isEqualTo(401))
          .message()
          .doesNotContain("nope-789")
          .contains("MODELPLANE_MLFLOW_USERNAME");
    }
    assertThatThrownBy(
            () ->
                MlflowClient.fromSettings(
                    new MlflowSettings(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())))
        .hasMessage("MODELPLANE_MLFLOW_URL is not set: MLflow is needed");
  }

  @Test
  void anUnreachableMlflowIsAOneLineRunnerError() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    MlflowClient nowhere = MlflowClient.builder("http://127.0.0.1:" + port).build();
    assertThatThrownBy(() -> nowhere.getOrCreateExperiment("x"))
        .isInstanceOf(RunnerException.class)
        .hasMessageStartingWith("MLflow at http://127.0.0.1:" + port + " cannot be reached");
  }

  @Test
  void aPythonUsersXgboostModelIsDownloadedAndItsMlmodelRead() throws IOException {
    byte[] booster = "{\"learner\": {}}".getBytes(StandardCharsets.UTF_8);
    RegisteredModelVersion registered =
        mlflow.registerPythonModel(
            PythonModel.xgboost("fraud", "json", booster, List.of("amount", "age")));

    String uri = client.getModelVersionDownloadUri("fraud", registered.version());
    Path local = dir.resolve("fraud");
    client.downloadArtifacts(uri, local);
    MlflowModelFiles files = MlflowModelFiles.read(local);

    assertThat(files.flavorNames()).containsExactly("python_function", "xgboost");
    assertThat(files.flavorSetting("xgboost", "model_format")).hasValue("json");
    assertThat(files.modelData("xgboost")).hasBinaryContent(booster);
    assertThat(files.signatureInputNames()).containsExactly("amount", "age");
    assertThat(files.runId()).hasValue(registered.runId());
    assertThatThrownBy(() -> files.modelData("spark"))
        .hasMessage("the model has no spark flavor (flavors: python_function, xgboost)");
  }

  @Test
  void theSparkFlavorOfTheContractIsRead() throws IOException {
    Path model = dir.resolve("model");
    write(
        model.resolve("MLmodel"),
        """
        artifact_path: model
        flavors:
          spark: {pyspark_version: 3.5.6, model_data: sparkml, model_class: pyspark.ml.pipeline.PipelineModel}
          python_function: {loader_module: mlflow.spark, python_version: "3.11", data: sparkml}
        run_id: abc
        utc_time_created: '2024-05-01 10:00:00.000000'
        mlflow_version: 2.16.0
        metadata:
          modelplane_problem_type: binary_classification
          modelplane_algorithm: xgboost_classifier
          modelplane_feature_columns: [age, plan]
          modelplane_label_column: null
        """);
    write(model.resolve("sparkml/metadata/part-00000"), "{}");
    MlflowModelFiles files = MlflowModelFiles.read(model);
    assertThat(files.flavorNames()).containsExactly("spark", "python_function");
    assertThat(files.modelData("spark")).isEqualTo(model.resolve("sparkml"));
    assertThat(files.metadataText("modelplane_problem_type")).hasValue("binary_classification");
    assertThat(files.metadataList("modelplane_feature_columns")).containsExactly("age", "plan");
    assertThat(files.metadataText("modelplane_label_column")).isEmpty();
    assertThat(files.mlflowVersion()).hasValue("2.16.0");

    assertThatThrownBy(() -> MlflowModelFiles.read(dir.resolve("nothing")))
        .hasMessage("the model has no MLmodel file (not an MLflow model)");
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
