package io.modelplane.testsupport.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MlflowStandInTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private MlflowStandIn mlflow;

  @BeforeEach
  void start() {
    mlflow = MlflowStandIn.start();
  }

  @AfterEach
  void stop() {
    mlflow.close();
  }

  record Answer(int status, JsonNode json, String text) {}

  private Answer get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(mlflow.url() + pathAndQuery)).GET().build());
  }

  private Answer post(String endpoint, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(mlflow.url() + "/api/2.0/mlflow/" + endpoint))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      json = JSON.readTree(response.body());
    }
    return new Answer(response.statusCode(), json, response.body());
  }

  @Test
  void experimentGetByNameIsA404UntilCreatedThenAnswersTheExperiment() throws Exception {
    Answer absent = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn");
    assertThat(absent.status()).isEqualTo(404);
    assertThat(absent.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    assertThat(absent.json().get("message").asText())
        .isEqualTo("Could not find experiment with name 'churn'");

    Answer created = post("experiments/create", "{\"name\": \"churn\"}");
    assertThat(created.status()).isEqualTo(200);
    String id = created.json().get("experiment_id").asText();
    assertThat(created.json().get("experiment_id").isTextual()).isTrue();
    assertThat(id).isEqualTo("1"); // "0" is MLflow's Default experiment

    JsonNode experiment =
        get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn")
            .json()
            .get("experiment");
    assertThat(experiment.get("experiment_id").asText()).isEqualTo(id);
    assertThat(experiment.get("name").asText()).isEqualTo("churn");
    assertThat(experiment.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/1");
    assertThat(experiment.get("lifecycle_stage").asText()).isEqualTo("active");
    assertThat(experiment.get("creation_time").isIntegralNumber()).isTrue();

    Answer again = post("experiments/create", "{\"name\": \"churn\"}");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
  }

  @Test
  void runLifecycleKeepsParamsMetricsTagsAndStatus() throws Exception {
    String experimentId =
        post("experiments/create", "{\"name\": \"e\"}").json().get("experiment_id").asText();
    JsonNode run =
        post(
                "runs/create",
                "{\"experiment_id\": \""
                    + experimentId
                    + "\", \"start_time\": 1700000000000, \"run_name\": \"first\","
                    + " \"tags\": [{\"key\": \"job\", \"value\": \"j1\"}]}")
            .json()
            .get("run");
    String runId = run.get("info").get("run_id").asText();
    assertThat(runId).matches("[0-9a-f]{32}");
    assertThat(run.get("info").get("run_uuid").asText()).isEqualTo(runId);
    assertThat(run.get("info").get("status").asText()).isEqualTo("RUNNING");
    assertThat(run.get("info").get("start_time").asLong()).isEqualTo(1700000000000L);
    assertThat(run.get("info").get("artifact_uri").asText())
        .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

    Answer batch =
        post(
            "runs/log-batch",
            "{\"run_id\": \""
                + runId
                + "\", \"params\": [{\"key\": \"max_depth\", \"value\": \"6\"}],"
                + " \"metrics\": [{\"key\": \"auc\", \"value\": 0.5, \"timestamp\": 1, \"step\": 0},"
                + " {\"key\": \"auc\", \"value\": 0.9, \"timestamp\": 2, \"step\": 1}],"
                + " \"tags\": [{\"key\": \"algorithm\", \"value\": \"xgboost\"}]}");
    assertThat(batch.status()).isEqualTo(200);
    assertThat(batch.text()).isEqualTo("{}");

    Answer update =
        post(
            "runs/update",
            "{\"run_id\": \""
                + runId
                + "\", \"status\": \"FINISHED\", \"end_time\": 1700000005000}");
    assertThat(update.json().get("run_info").get("status").asText()).isEqualTo("FINISHED");
    assertThat(update.json().get("run_info").get("end_time").asLong()).isEqualTo(1700000005000L);

    JsonNode data = get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().get("run").get("data");
    assertThat(data.get("metrics")).hasSize(1);
    assertThat(data.get("metrics").get(0).get("value").asDouble()).isEqualTo(0.9);
    assertThat(data.get("params").get(0).get("key").asText()).isEqualTo("max_depth");
    assertThat(data.get("params").get(0).get("value").asText()).isEqualTo("6");
    assertThat(data.get("tags").toString())
        .contains("\"algorithm\"")
        .contains("{\"key\":\"mlflow.runName\",\"value\":\"first\"}");
    JsonNode history =
        get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=auc").json();
    assertThat(history.get("metrics")).hasSize(2);
  }

  @Test
  void changingALoggedParamIsRefusedAsMlflowDoes() throws Exception {
    String runId = newRun();
    post("runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"k\", \"value\": \"1\"}");
    Answer changed =
        post(
            "runs/log-parameter",
            "{\"run_id\": \"" + runId + "\", \"key\": \"k\", \"value\": \"2\"}");
    assertThat(changed.status()).isEqualTo(400);
    assertThat(changed.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(changed.json().get("message").asText())
        .startsWith("Changing param values is not allowed");
  }

  @Test
  void aBatchOverMlflowsLimitsIsRefused() throws Exception {
    String runId = newRun();
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      params.append(i == 0 ? "" : ",").append("{\"key\": \"p" + i + "\", \"value\": \"v\"}");
    }
    Answer answer =
        post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [" + params + "]}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
  }

  @Test
  void unknownRunAndMissingFieldsAnswerMlflowErrors() throws Exception {
    Answer run = get("/api/2.0/mlflow/runs/get?run_id=nope");
    assertThat(run.status()).isEqualTo(404);
    assertThat(run.json().get("message").asText()).isEqualTo("Run with id=nope not found");

    Answer missing = post("runs/create", "{}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(missing.json().get("message").asText())
        .startsWith("Missing value for required parameter 'experiment_id'");

    Answer numberForString = post("runs/create", "{\"experiment_id\": 0}");
    assertThat(numberForString.status()).isEqualTo(400);
    assertThat(numberForString.json().get("error_code").asText())
        .isEqualTo("INVALID_PARAMETER_VALUE");
  }

  @Test
  void aPostWithoutJsonContentTypeIsRefused() throws Exception {
    Answer answer =
        send(
            HttpRequest.newBuilder(URI.create(mlflow.url() + "/api/2.0/mlflow/experiments/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}"))
                .build());
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
  }

  @Test
  void registryVersionsAreStringsAndAliasesResolve() throws Exception {
    String runId = newRun();
    Answer model = post("registered-models/create", "{\"name\": \"churn-model\"}");
    assertThat(model.json().get("registered_model").get("name").asText()).isEqualTo("churn-model");
    Answer again = post("registered-models/create", "{\"name\": \"churn-model\"}");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    assertThat(again.json().get("message").asText())
        .isEqualTo("Registered Model (name=churn-model) already exists.");

    String source = "mlflow-artifacts:/1/" + runId + "/artifacts/model";
    JsonNode version =
        post(
                "model-versions/create",
                "{\"name\": \"churn-model\", \"source\": \""
                    + source
                    + "\", \"run_id\": \""
                    + runId
                    + "\"}")
            .json()
            .get("model_version");
    assertThat(version.get("version").isTextual()).isTrue();
    assertThat(version.get("version").asText()).isEqualTo("1");
    assertThat(version.get("status").asText()).isEqualTo("READY");
    assertThat(version.get("source").asText()).isEqualTo(source);
    assertThat(version.get("run_id").asText()).isEqualTo(runId);

    assertThat(
            get("/api/2.0/mlflow/model-versions/get-download-uri?name=churn-model&version=1")
                .json()
                .get("artifact_uri")
                .asText())
        .isEqualTo(source);
    Answer absentVersion = get("/api/2.0/mlflow/model-versions/get?name=churn-model&version=7");
    assertThat(absentVersion.status()).isEqualTo(404);
    assertThat(absentVersion.json().get("message").asText())
        .isEqualTo("Model Version (name=churn-model, version=7) not found");

    Answer noAlias = get("/api/2.0/mlflow/registered-models/alias?name=churn-model&alias=champion");
    assertThat(noAlias.status()).isEqualTo(400);
    assertThat(noAlias.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(noAlias.json().get("message").asText())
        .isEqualTo("Registered model alias champion not found.");

    post(
        "registered-models/alias",
        "{\"name\": \"churn-model\", \"alias\": \"champion\", \"version\": \"1\"}");
    JsonNode aliased =
        get("/api/2.0/mlflow/registered-models/alias?name=churn-model&alias=champion")
            .json()
            .get("model_version");
    assertThat(aliased.get("version").asText()).isEqualTo("1");
    assertThat(aliased.get("aliases").get(0).asText()).isEqualTo("champion");

    Answer unknownModel = get("/api/2.0/mlflow/registered-models/get?name=nope");
    assertThat(unknownModel.status()).isEqualTo(404);
    assertThat(unknownModel.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
  }

  @Test
  void artifactProxyStoresListsAndServesFiles() throws Exception {
    String base = "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model";
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(mlflow.url() + base + "/sparkml/metadata/part-0"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"class\":\"x\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body()).isEqualTo("{}");
    http.send(
        HttpRequest.newBuilder(URI.create(mlflow.url() + base + "/MLmodel"))
            .PUT(HttpRequest.BodyPublishers.ofString("artifact_path: model\n"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    JsonNode listing = get("/api/2.0/mlflow-artifacts/artifacts?path=1/abc/artifacts/model").json();
    assertThat(listing.get("files")).hasSize(2);
    assertThat(listing.get("files").get(0).get("path").asText()).isEqualTo("MLmodel");
    assertThat(listing.get("files").get(0).get("is_dir").asBoolean()).isFalse();
    assertThat(listing.get("files").get(0).get("file_size").asLong()).isEqualTo(21);
    assertThat(listing.get("files").get(1).get("path").asText()).isEqualTo("sparkml");
    assertThat(listing.get("files").get(1).get("is_dir").asBoolean()).isTrue();
    assertThat(listing.get("files").get(1).has("file_size")).isFalse();

    assertThat(get("/api/2.0/mlflow-artifacts/artifacts?path=1/none").text()).isEqualTo("{}");
    assertThat(get(base + "/MLmodel").text()).isEqualTo("artifact_path: model\n");
    assertThat(get(base + "/absent").status()).isEqualTo(500);
    assertThat(mlflow.artifactFiles("1/abc"))
        .containsExactly(
            "1/abc/artifacts/model/MLmodel", "1/abc/artifacts/model/sparkml/metadata/part-0");
    assertThat(get("/api/2.0/mlflow-artifacts/artifacts?path=../etc").status()).isEqualTo(400);
  }

  @Test
  void everyRequestIsRecordedWithItsBody() throws Exception {
    post("experiments/create", "{\"name\": \"recorded\"}");
    get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=recorded");

    List<RecordedRequest> requests = mlflow.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).method()).isEqualTo("POST");
    assertThat(requests.get(0).endpoint()).isEqualTo("experiments/create");
    assertThat(requests.get(0).bodyText()).isEqualTo("{\"name\": \"recorded\"}");
    assertThat(requests.get(0).contentType()).isEqualTo("application/json");
    assertThat(requests.get(1).queryParameters()).containsEntry("experiment_name", "recorded");
    assertThat(mlflow.requests("experiments/get-by-name")).hasSize(1);
  }

  @Test
  void basicAuthIsCheckedOnEveryRequest() throws Exception {
    try (MlflowStandIn secured = MlflowStandIn.builder().basicAuth("ana", "s3cret").start()) {
      URI uri = URI.create(secured.url() + "/api/2.0/mlflow/experiments/get?experiment_id=0");
      HttpResponse<String> anonymous =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .hasValue("Basic realm=\"mlflow\"");
      String good =
          "Basic "
              + Base64.getEncoder().encodeToString("ana:s3cret".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> authorized =
          http.send(
              HttpRequest.newBuilder(uri).header("Authorization", good).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(authorized.statusCode()).isEqualTo(200);
      assertThat(authorized.body()).contains("\"name\":\"Default\"");
      assertThat(secured.requests().get(1).authorization()).isEqualTo(good);
    }
  }

  @Test
  void bearerTokenIsCheckedOnEveryRequest() throws Exception {
    try (MlflowStandIn secured = MlflowStandIn.builder().bearerToken("t0ken").start()) {
      URI uri = URI.create(secured.url() + "/api/2.0/mlflow/experiments/get?experiment_id=0");
      assertThat(
              http.send(
                      HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong").build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(uri).header("Authorization", "Bearer t0ken").build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aPythonUsersXgboostModelIsLoggedAndRegistered() throws Exception {
    byte[] booster = {1, 2, 3, 4};
    RegisteredModelVersion version =
        mlflow.registerPythonModel(
            PythonModel.xgboost("fraud", "ubj", booster, List.of("amount", "age")));
    assertThat(version.version()).isEqualTo("1");
    assertThat(version.source())
        .isEqualTo("mlflow-artifacts:/1/" + version.runId() + "/artifacts/model");
    assertThat(mlflow.requests()).isEmpty();

    String dir = "1/" + version.runId() + "/artifacts/model";
    assertThat(mlflow.artifactFiles(dir))
        .containsExactly(
            dir + "/MLmodel",
            dir + "/conda.yaml",
            dir + "/model.ubj",
            dir + "/python_env.yaml",
            dir + "/requirements.txt");
    assertThat(mlflow.artifact(dir + "/model.ubj")).isEqualTo(booster);
    String mlmodel = new String(mlflow.artifact(dir + "/MLmodel"), StandardCharsets.UTF_8);
    assertThat(mlmodel)
        .contains("flavors:\n  python_function:\n")
        .contains("  xgboost:\n    code: null\n    data: model.ubj\n")
        .contains("    model_format: ubj\n")
        .contains("run_id: " + version.runId() + "\n")
        .contains("{\"type\": \"double\", \"name\": \"amount\", \"required\": true}");

    RegisteredModelVersion second =
        mlflow.registerPythonModel(PythonModel.lightgbm("fraud", booster, List.of("amount")));
    assertThat(second.version()).isEqualTo("2");
    mlflow.setAlias("fraud", "champion", "2");
    JsonNode aliased =
        get("/api/2.0/mlflow/registered-models/alias?name=fraud&alias=champion")
            .json()
            .get("model_version");
    assertThat(aliased.get("source").asText()).isEqualTo(second.source());
  }

  @Test
  void aFileArtifactStoreGivesRunsFileUris() throws Exception {
    try (MlflowStandIn local = MlflowStandIn.builder().fileArtifactStore().start()) {
      RegisteredModelVersion version =
          local.registerPythonModel(PythonModel.lightgbm("m", new byte[] {7}, List.of("x")));
      assertThat(version.source()).startsWith("file:/").endsWith("/artifacts/model");
      assertThat(
              java.nio.file.Files.readAllBytes(
                  java.nio.file.Path.of(URI.create(version.source() + "/model.lgb"))))
          .containsExactly(7);
    }
  }

  @Test
  void anUnknownRouteIsFlasksHtml404() throws Exception {
    Answer answer = get("/api/2.0/mlflow/no-such-thing");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json()).isNull();
  }

  private String newRun() throws Exception {
    return post("runs/create", "{\"experiment_id\": \"0\"}")
        .json()
        .get("run")
        .get("info")
        .get("run_id")
        .asText();
  }
}
