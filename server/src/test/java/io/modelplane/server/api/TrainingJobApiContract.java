package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Python;
import io.modelplane.server.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The training-job lifecycle over real HTTP, without an orchestrator; every response is validated
 * against openapi.yaml. Runs on H2 and on PostgreSQL through the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrainingJobApiContract {
  private static final String JOBS = "/api/automl/train/jobs";
  private TestServer server;
  private ApiClient api;
  private final String domain = "crm-" + UUID.randomUUID().toString().substring(0, 8);

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void startServer() {
    server = TestServer.start(databaseConfig());
    api = server.client();
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @Test
  void createWithoutTriggerIsReadyWithADagThatParsesAsPython() throws Exception {
    ApiResponse created = api.post(JOBS, jobRequest("churn", false));

    assertThat(created.status()).isEqualTo(201);
    String jobId = created.text("job_id");
    assertThat(created.header("Location")).endsWith(JOBS + "/" + jobId);
    assertThat(created.text("status")).isEqualTo("ready");
    assertThat(created.text("algorithm")).isEqualTo("lightgbm_classifier");
    assertThat(created.text("preset")).isEqualTo("balanced");
    assertThat(created.text("airflow_dag_id")).isEqualTo("modelplane-training-" + jobId);
    assertThat(created.text("airflow_dag_url")).isNull();
    assertThat(created.text("error_message")).isNull();
    String dag = created.text("rendered_dag");
    assertThat(dag).contains("training-status", "wrap", "modelplane-training-" + jobId);
    Python.assertParses(dag);
    Path file = server.dagDir().resolve("modelplane-training-" + jobId + ".py");
    assertThat(Files.readString(file)).isEqualTo(dag);
    assertThat(api.get(JOBS + "/" + jobId).body()).isEqualTo(created.body());
  }

  @Test
  void aRankingJobKeepsItsGroupColumnAndItsDagRunsTheRunnerTrainer() {
    Map<String, Object> request = jobRequest("search-ranking", false);
    request.put("problem_type", "ranking");
    request.put("label_column", "relevance");
    request.put("group_column", "query_id");

    ApiResponse created = api.post(JOBS, request);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("group_column")).isEqualTo("query_id");
    assertThat(created.text("algorithm")).isEqualTo("lightgbm_ranker");
    assertThat(api.get(JOBS + "/" + created.text("job_id")).text("group_column"))
        .isEqualTo("query_id");
    String dag = created.text("rendered_dag");
    assertThat(dag)
        .contains("group_column", "query_id")
        .contains("MODELPLANE_RUNNER_JAR", "/opt/modelplane/modelplane-runner.jar")
        .contains("MODELPLANE_TRAINER_COMMAND")
        .doesNotContain("modelplane_automl");
    Python.assertParses(dag);
    assertThat(api.post(JOBS, jobRequest("no-ranking", false)).text("group_column")).isNull();
  }

  @Test
  void writebacksDriveTheJobToCompleteAndRepeatsAreIdempotent() {
    String jobId = create("lifecycle");

    ApiResponse running = api.put(status(jobId), Map.of("status", "running"));
    assertThat(running.status()).isEqualTo(200);
    assertThat(running.text("status")).isEqualTo("running");

    ApiResponse complete =
        api.put(
            status(jobId),
            Map.of(
                "status", "complete",
                "mlflow_run_id", "9f8e7d6c",
                "registered_model_name", "churn-model"));
    assertThat(complete.status()).isEqualTo(200);
    assertThat(complete.text("status")).isEqualTo("complete");
    assertThat(complete.text("mlflow_run_id")).isEqualTo("9f8e7d6c");
    assertThat(complete.text("registered_model_name")).isEqualTo("churn-model");

    ApiResponse again = api.put(status(jobId), Map.of("status", "complete"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(complete.body());

    ApiResponse backwards = api.put(status(jobId), Map.of("status", "running"));
    assertThat(backwards.status()).isEqualTo(409);
    assertThat(backwards.text("error")).contains("is complete", "cannot move to running");
    assertThat(backwards.body().get("code").asInt()).isEqualTo(409);

    JsonNode events = api.get(JOBS + "/" + jobId + "/events").body().get("items");
    assertThat(events).hasSize(3);
    assertThat(transitions(events))
        .containsExactly("null→ready", "ready→running", "running→complete");
    assertThat(events.get(2).get("actor").asText()).isEqualTo("platform");
  }

  @Test
  void failedWritebackKeepsTheMessageAndATaskRetryClearsIt() {
    String jobId = create("retry");
    api.put(status(jobId), Map.of("status", "running"));

    ApiResponse failed =
        api.put(status(jobId), Map.of("status", "failed", "error_message", "OOM in trainer"));
    assertThat(failed.text("status")).isEqualTo("failed");
    assertThat(failed.text("error_message")).isEqualTo("OOM in trainer");

    ApiResponse retried = api.put(status(jobId), Map.of("status", "running"));
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.text("status")).isEqualTo("running");
    assertThat(retried.text("error_message")).isNull();
  }

  @Test
  void theSeedWritebackExampleAndResponseShapeWorkAsDocumented() {
    String jobId = create("seed");
    // Seed 002's example body, with the status the schema requires.
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "failed");
    body.put("mlflow_run_id", "<string>");
    body.put("registered_model_name", "<string>");
    body.put("error_message", "<string>");
    api.put(status(jobId), Map.of("status", "running"));

    ApiResponse response = api.put(status(jobId), body);

    assertThat(response.status()).isEqualTo(200);
    List<String> fields = new ArrayList<>();
    response.body().fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .contains(
            "job_id",
            "name",
            "domain",
            "owner",
            "source_table",
            "problem_type",
            "algorithm",
            "preset",
            "status",
            "rendered_dag",
            "mlflow_run_id",
            "mlflow_experiment_name",
            "registered_model_name",
            "airflow_dag_id",
            "airflow_dag_url",
            "error_message",
            "feature_engineering_job_id",
            "created_at",
            "updated_at");
    assertThat(response.text("mlflow_run_id")).isEqualTo("<string>");
    assertThat(response.text("error_message")).isEqualTo("<string>");
    assertThat(response.text("created_at")).endsWith("Z");

    // The seed's curl example omits status: the schema requires it.
    ApiResponse missing =
        api.put(status(jobId), Map.of("mlflow_run_id", "<string>", "error_message", "<string>"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"body\",\"status\"]");
    assertThat(missing.body().get("detail").get(0).get("type").asText()).isEqualTo("missing");
  }

  @Test
  void invalidRequestsAnswer422WithTheLocationAndStoreNothing() {
    int before = countJobs();
    Map<String, Object> badEnum = jobRequest("bad-enum", false);
    badEnum.put("problem_type", "clustering");
    assertProblem(api.post(JOBS, badEnum), "[\"body\",\"problem_type\"]", "enum");

    assertProblem(
        api.send("POST", JOBS, "{\"name\": \"x\",", Map.of()), "[\"body\",13]", "json_invalid");

    assertProblem(api.get(JOBS + "/not-a-uuid"), "[\"path\",\"job_id\"]", "uuid_parsing");
    assertProblem(api.get(JOBS + "?status=paused"), "[\"query\",\"status\"]", "enum");
    assertProblem(api.get(JOBS + "?page_size=500"), "[\"query\",\"page_size\"]", "less_than_equal");
    assertProblem(
        api.get(JOBS + "?page_token=garbage"), "[\"query\",\"page_token\"]", "value_error");

    Map<String, Object> wrongType = jobRequest("wrong-type", false);
    wrongType.put("trigger_now", "yes");
    assertProblem(api.post(JOBS, wrongType), "[\"body\",\"trigger_now\"]", "bool_type");

    Map<String, Object> badTable = jobRequest("bad-table", false);
    badTable.put("source_table", "crm.customers; DROP TABLE x");
    assertProblem(
        api.post(JOBS, badTable), "[\"body\",\"source_table\"]", "string_pattern_mismatch");

    Map<String, Object> mismatch = jobRequest("mismatch", false);
    mismatch.put("algorithm", "lightgbm_regressor");
    ApiResponse mismatched = api.post(JOBS, mismatch);
    assertProblem(mismatched, "[\"body\",\"algorithm\"]", "value_error");
    assertThat(mismatched.body().get("detail").get(0).get("msg").asText())
        .contains("does not fit problem_type binary_classification");

    Map<String, Object> noLabel = jobRequest("no-label", false);
    noLabel.remove("label_column");
    assertProblem(api.post(JOBS, noLabel), "[\"body\",\"label_column\"]", "missing");

    Map<String, Object> rankingWithoutGroup = jobRequest("no-group", false);
    rankingWithoutGroup.put("problem_type", "ranking");
    rankingWithoutGroup.remove("algorithm");
    assertProblem(api.post(JOBS, rankingWithoutGroup), "[\"body\",\"group_column\"]", "missing");

    ApiResponse empty = api.post(JOBS, Map.of());
    assertThat(empty.status()).isEqualTo(422);
    List<String> locs = new ArrayList<>();
    empty.body().get("detail").forEach(d -> locs.add(d.get("loc").toString()));
    assertThat(locs)
        .containsExactlyInAnyOrder(
            "[\"body\",\"domain\"]",
            "[\"body\",\"name\"]",
            "[\"body\",\"owner\"]",
            "[\"body\",\"problem_type\"]",
            "[\"body\",\"source_table\"]");

    assertThat(countJobs()).isEqualTo(before);
  }

  @Test
  void aNulCharacterInAnyTextIs422OnEveryDatabase() {
    int before = countJobs();
    Map<String, Object> nulName = jobRequest("nul\0name", false);
    ApiResponse refused = api.post(JOBS, nulName);
    assertProblem(refused, "[\"body\",\"name\"]", "value_error");
    assertThat(refused.body().get("detail").get(0).get("msg").asText()).contains("NUL");
    Map<String, Object> nulOwner = jobRequest("nul-owner", false);
    nulOwner.put("owner", "\0");
    assertProblem(api.post(JOBS, nulOwner), "[\"body\",\"owner\"]", "value_error");
    assertProblem(api.get(JOBS + "?domain=crm%00x"), "[\"query\",\"domain\"]", "value_error");
    assertThat(countJobs()).isEqualTo(before);
  }

  @Test
  void aCreateReplayedWithTheSameIdempotencyKeyReturnsTheSameJob() {
    Map<String, String> key = Map.of("Idempotency-Key", "create-" + UUID.randomUUID());
    Map<String, Object> request = jobRequest("idempotent", false);

    ApiResponse first = api.send("POST", JOBS, request, key);
    ApiResponse replay = api.send("POST", JOBS, request, key);
    request.put("owner", "someone-else");
    ApiResponse different = api.send("POST", JOBS, request, key);

    assertThat(first.status()).isEqualTo(201);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.text("job_id")).isEqualTo(first.text("job_id"));
    assertThat(different.status()).isEqualTo(422);
    assertThat(different.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"header\",\"Idempotency-Key\"]");
    long copies = 0;
    for (JsonNode item :
        api.get(JOBS + "?domain=" + domain + "&page_size=200").body().get("items")) {
      copies += item.get("name").asText().equals("idempotent") ? 1 : 0;
    }
    assertThat(copies).isEqualTo(1);
  }

  @Test
  void anomalyDetectionNeedsNoLabelAndDefaultsToIsolationForest() {
    Map<String, Object> request = jobRequest("anomalies", false);
    request.put("problem_type", "anomaly_detection");
    request.remove("label_column");

    ApiResponse created = api.post(JOBS, request);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("algorithm")).isEqualTo("isolation_forest");
  }

  @Test
  void unknownJobIs404AndWrongCredentialsAre401() {
    ApiResponse missing = api.get(JOBS + "/" + UUID.randomUUID());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.text("error")).contains("not found");

    ApiResponse wrongPsk = server.anonymousClient().withPsk("not-the-platform-psk").get(JOBS);
    assertThat(wrongPsk.status()).isEqualTo(401);
    assertThat(wrongPsk.text("error")).isEqualTo("Invalid credentials");

    ApiResponse none = server.anonymousClient().get(JOBS);
    assertThat(none.status()).isEqualTo(401);

    ApiResponse bearer =
        server
            .anonymousClient()
            .send("GET", JOBS, null, Map.of("Authorization", "Bearer " + TestServer.PSK));
    assertThat(bearer.status()).isEqualTo(200);

    ApiResponse ping = server.anonymousClient().get("/api/health/ping");
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.text("status")).isEqualTo("ok");
    assertThat(server.anonymousClient().get("/api/health/ready").text("status")).isEqualTo("ready");
  }

  @Test
  void listPagesNewestFirstWithFilters() {
    String listDomain = "list-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Map<String, Object> request = jobRequest("job-" + i, false);
      request.put("domain", listDomain);
      created.add(0, api.post(JOBS, request).text("job_id"));
    }
    api.put(status(created.get(0)), Map.of("status", "running"));

    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String url =
          JOBS
              + "?domain="
              + listDomain
              + "&page_size=2"
              + (token == null ? "" : "&page_token=" + token);
      ApiResponse page = api.get(url);
      assertThat(page.status()).isEqualTo(200);
      page.body().get("items").forEach(item -> seen.add(item.get("job_id").asText()));
      token = page.text("next_page_token");
      pages++;
    } while (token != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(created);
    ApiResponse running = api.get(JOBS + "?domain=" + listDomain + "&status=running");
    assertThat(running.body().get("items")).hasSize(1);
    assertThat(running.body().get("items").get(0).get("job_id").asText()).isEqualTo(created.get(0));
  }

  @Test
  void bulkStatusListsKnownJobsAndUnknownIds() {
    String a = create("bulk-a");
    String b = create("bulk-b");
    api.put(status(b), Map.of("status", "running"));
    String unknown = UUID.randomUUID().toString();

    ApiResponse response = api.get(JOBS + "/status?ids=" + a + "&ids=" + b + "&ids=" + unknown);

    assertThat(response.status()).isEqualTo(200);
    Map<String, String> statuses = new HashMap<>();
    response
        .body()
        .get("statuses")
        .forEach(s -> statuses.put(s.get("job_id").asText(), s.get("status").asText()));
    assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(a, "ready", b, "running"));
    assertThat(response.body().get("not_found").get(0).asText()).isEqualTo(unknown);
    assertProblem(api.get(JOBS + "/status"), "[\"query\",\"ids\"]", "missing");
  }

  @Test
  void triggerWithoutAnOrchestratorIs503AndTheJobStaysReady() {
    String jobId = create("no-airflow");

    ApiResponse trigger = api.post(JOBS + "/" + jobId + "/trigger", null);

    assertThat(trigger.status()).isEqualTo(503);
    assertThat(trigger.text("error")).contains("No orchestrator is configured");
    ApiResponse job = api.get(JOBS + "/" + jobId);
    assertThat(job.text("status")).isEqualTo("ready");
    assertThat(job.text("error_message")).contains("No orchestrator is configured");

    ApiResponse autoTriggered = api.post(JOBS, jobRequest("auto", true));
    assertThat(autoTriggered.status()).isEqualTo(201);
    assertThat(autoTriggered.text("status")).isEqualTo("ready");
    assertThat(autoTriggered.text("error_message")).contains("No orchestrator is configured");
  }

  @Test
  void cancelFailsTheJobAndDeleteRemovesItWithItsDag() {
    String jobId = create("cancel-me");
    api.put(status(jobId), Map.of("status", "running"));

    ApiResponse runningDelete = api.delete(JOBS + "/" + jobId);
    assertThat(runningDelete.status()).isEqualTo(409);
    assertThat(runningDelete.text("error")).contains("is running");

    ApiResponse cancelled = api.post(JOBS + "/" + jobId + "/cancel", null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("failed");
    assertThat(cancelled.text("error_message")).isEqualTo("cancelled by platform");
    assertThat(api.post(JOBS + "/" + jobId + "/cancel", null).status()).isEqualTo(409);

    Path dag = server.dagDir().resolve("modelplane-training-" + jobId + ".py");
    assertThat(dag).exists();
    assertThat(api.delete(JOBS + "/" + jobId).status()).isEqualTo(204);
    assertThat(dag).doesNotExist();
    assertThat(api.get(JOBS + "/" + jobId).status()).isEqualTo(404);
    assertThat(api.get(JOBS + "/" + jobId + "/events").status()).isEqualTo(404);
  }

  private void assertProblem(ApiResponse response, String loc, String type) {
    assertThat(response.status()).as(response.rawBody()).isEqualTo(422);
    JsonNode detail = response.body().get("detail");
    assertThat(detail).as(response.rawBody()).hasSize(1);
    assertThat(detail.get(0).get("loc").toString()).isEqualTo(loc);
    assertThat(detail.get(0).get("type").asText()).isEqualTo(type);
    assertThat(detail.get(0).get("msg").asText()).isNotBlank();
  }

  private int countJobs() {
    return api.get(JOBS + "?domain=" + domain + "&page_size=200").body().get("items").size();
  }

  private String create(String name) {
    ApiResponse created = api.post(JOBS, jobRequest(name, false));
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    return created.text("job_id");
  }

  private Map<String, Object> jobRequest(String name, boolean triggerNow) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("domain", domain);
    request.put("owner", "ana");
    request.put("source_table", "crm.customers");
    request.put("problem_type", "binary_classification");
    request.put("label_column", "churned");
    request.put("feature_columns", List.of("tenure", "plan"));
    request.put("trigger_now", triggerNow);
    return request;
  }

  private static String status(String jobId) {
    return JOBS + "/" + jobId + "/status";
  }

  private static List<String> transitions(JsonNode events) {
    List<String> out = new ArrayList<>();
    events.forEach(
        e ->
            out.add(
                (e.get("from_status").isNull() ? "null" : e.get("from_status").asText())
                    + "→"
                    + e.get("to_status").asText()));
    return out;
  }
}
