package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.ModelplaneServer;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.ReconcileConfig;
import io.modelplane.server.reconcile.ReconcileLoop;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestClock;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Maximum run times through the reconcile loop, with a clock the test moves, passes the test runs
 * itself ({@link ReconcileLoop#runOnce()}; the loop's own schedule is an hour) and WireMock as
 * Airflow (silence 300 s, grace 300 s): a deployment run, a training job and a data-engineering job
 * past their {@code max_run_time_seconds} fail with the reason and their DAG run is marked failed
 * in Airflow; one within it is left alone. Also the reconcile of {@code /api/jobs}: a silent job
 * ends as Airflow reports, and late writebacks are judged. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MaxRunTimeApiContract {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final WireMockAirflow airflow = new WireMockAirflow();
  private final TestClock clock = new TestClock(Instant.parse("2026-05-01T08:00:00Z"));
  private ModelplaneServer server;
  private ApiClient api;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    airflow.start();
    server =
        ModelplaneServer.start(
            TestServer.config(databaseConfig(), Optional.of(airflow.config()))
                .withReconcile(
                    new ReconcileConfig(
                        Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofHours(1))),
            clock);
    api = new ApiClient(server.baseUri()).withPsk(TestServer.PSK);
  }

  @AfterAll
  void stop() {
    server.close();
    airflow.stop();
  }

  @BeforeEach
  void stubs() {
    airflow.resetToTokenPauseAndTrigger().answerDagRunUpdates().answerDagRunsAs("running");
  }

  @Test
  void aDeploymentRunPastItsMaximumRunTimeFailsAndItsDagRunIsMarkedFailed() {
    String model = "maxrt-" + UUID.randomUUID().toString().substring(0, 8);
    String deployment = "/api/models/" + model + "/deployments/nightly";
    Map<String, Object> request = SampleRequests.deployment(model);
    request.put("max_run_time_seconds", 120);
    ApiResponse created = api.post("/api/models/" + model + "/deployments", request);
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    assertThat(created.body().get("max_run_time_seconds").asInt()).isEqualTo(120);
    Await.until(() -> api.get(deployment), r -> "active".equals(r.text("status")), WAIT);
    ApiResponse queued = api.post(deployment + "/trigger", null);
    String run = deployment + "/runs/" + queued.text("run_id");
    String airflowRunId = queued.text("airflow_run_id");
    assertThat(
            api.post(
                    deployment + "/runs",
                    Map.of("airflow_run_id", airflowRunId, "status", "running"))
                .status())
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(100));
    assertThat(reconcile()).isZero();
    assertThat(api.get(run).text("status")).isEqualTo("running");

    clock.advance(Duration.ofSeconds(21));
    assertThat(reconcile()).isEqualTo(1);
    ApiResponse failed = api.get(run);
    assertThat(failed.text("status")).isEqualTo("failed");

    assertThat(failed.text("error_message")).isEqualTo("ran past its maximum run time of 120 s");
    Await.until(
        () ->
            airflow
                .findAll(
                    patchRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns/" + airflowRunId))
                        .withRequestBody(equalToJson("{\"state\":\"failed\"}")))
                .size(),
        n -> n == 1,
        WAIT);
    ApiResponse late =
        api.post(
            deployment + "/runs", Map.of("airflow_run_id", airflowRunId, "status", "succeeded"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.text("error")).contains("ran past its maximum run time of 120 s");
  }

  @Test
  void theMaximumIsPatchedAndClearedAndBoundedByTheContract() {
    String model = "maxrt-" + UUID.randomUUID().toString().substring(0, 8);
    String deployments = "/api/models/" + model + "/deployments";
    Map<String, Object> tooShort = SampleRequests.deployment(model);
    tooShort.put("max_run_time_seconds", 59);
    assertProblem(api.post(deployments, tooShort), "[\"body\",\"max_run_time_seconds\"]");
    Map<String, Object> tooLong = SampleRequests.deployment(model);
    tooLong.put("max_run_time_seconds", 604801);
    assertProblem(api.post(deployments, tooLong), "[\"body\",\"max_run_time_seconds\"]");
    Map<String, Object> training = SampleRequests.trainingJob("bounded");
    training.put("max_run_time_seconds", 0);
    assertProblem(
        api.post("/api/automl/train/jobs", training), "[\"body\",\"max_run_time_seconds\"]");
    Map<String, Object> job = dataJob("bounded");
    job.put("max_run_time_seconds", 604801);
    assertProblem(api.post("/api/jobs", job), "[\"body\",\"max_run_time_seconds\"]");

    Map<String, Object> atLimit = SampleRequests.deployment(model);
    atLimit.put("max_run_time_seconds", 604800);
    assertThat(api.post(deployments, atLimit).status()).isEqualTo(201);
    String deployment = deployments + "/nightly";
    ApiResponse patched =
        api.send("PATCH", deployment, Map.of("max_run_time_seconds", 60), Map.of());
    assertThat(patched.status()).as(patched.rawBody()).isEqualTo(200);
    assertThat(patched.body().get("max_run_time_seconds").asInt()).isEqualTo(60);
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("max_run_time_seconds", null);
    ApiResponse cleared = api.send("PATCH", deployment, clear, Map.of());
    assertThat(cleared.body().get("max_run_time_seconds").isNull()).isTrue();
    assertProblem(
        api.send("PATCH", deployment, Map.of("max_run_time_seconds", 59), Map.of()),
        "[\"body\",\"max_run_time_seconds\"]");
  }

  @Test
  void aTrainingJobPastItsMaximumRunTimeFailsAndItsDagRunIsMarkedFailed() {
    Map<String, Object> request = SampleRequests.trainingJob("slow");
    request.put("max_run_time_seconds", 300);
    JsonNode job = api.post("/api/automl/train/jobs", request).body();
    assertThat(job.get("max_run_time_seconds").asInt()).isEqualTo(300);
    String id = job.get("job_id").asText();
    assertThat(
            api.put("/api/automl/train/jobs/" + id + "/status", Map.of("status", "running"))
                .status())
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(299));
    assertThat(reconcile()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(reconcile()).isEqualTo(1);
    ApiResponse failed = api.get("/api/automl/train/jobs/" + id);
    assertThat(failed.text("status")).isEqualTo("failed");

    assertThat(failed.text("error_message")).isEqualTo("ran past its maximum run time of 300 s");
    String dagRun = failed.text("airflow_dag_run_id");
    Await.until(
        () -> airflow.findAll(patchRequestedFor(urlPathMatching(".*/dagRuns/" + dagRun))).size(),
        n -> n == 1,
        WAIT);
  }

  @Test
  void aDataJobPastItsMaximumRunTimeFailsAndLateWritebacksAreJudged() {
    Map<String, Object> request = dataJob("slow");
    request.put("max_run_time_seconds", 60);
    JsonNode job = api.post("/api/jobs", request).body();
    String id = job.get("id").asText();
    assertThat(job.get("max_run_time_seconds").asInt()).isEqualTo(60);
    JsonNode triggered = api.post("/api/jobs/" + id + "/trigger", null).body();
    String dagRun = triggered.get("airflow_dag_run_id").asText();
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "running")).status())
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(59));
    assertThat(reconcile()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(reconcile()).isEqualTo(1);
    ApiResponse failed = api.get("/api/jobs/" + id);
    assertThat(failed.text("status")).isEqualTo("failed");

    assertThat(failed.text("status_message")).isEqualTo("ran past its maximum run time of 60 s");
    Await.until(
        () ->
            airflow
                .findAll(
                    patchRequestedFor(urlEqualTo("/api/v2/dags/existing_dag/dagRuns/" + dagRun))
                        .withRequestBody(equalToJson("{\"state\":\"failed\"}")))
                .size(),
        n -> n == 1,
        WAIT);
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "failed")).status())
        .isEqualTo(200);
    ApiResponse late = api.put("/api/jobs/" + id + "/status", Map.of("status", "completed"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.text("error"))
        .contains("ended as failed by the reconcile loop", "maximum run time", "(completed)");
    // The next run (a schedule, a trigger) is accepted.
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "running")).status())
        .isEqualTo(200);
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "completed")).status())
        .isEqualTo(200);
  }

  @Test
  void aSilentDataJobEndsAsAirflowReportsIt() {
    JsonNode job = api.post("/api/jobs", dataJob("silent")).body();
    String id = job.get("id").asText();
    String dagRun =
        api.post("/api/jobs/" + id + "/trigger", null).body().get("airflow_dag_run_id").asText();
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "running")).status())
        .isEqualTo(200);
    airflow.stubFor(
        get(urlEqualTo("/api/v2/dags/existing_dag/dagRuns/" + dagRun))
            .atPriority(1)
            .willReturn(okJson("{\"state\":\"success\"}")));

    clock.advance(Duration.ofSeconds(299));
    assertThat(reconcile()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(reconcile()).isEqualTo(1);
    ApiResponse completed = api.get("/api/jobs/" + id);
    assertThat(completed.text("status")).isEqualTo("completed");

    assertThat(completed.text("status_message"))
        .isEqualTo("Airflow reports the run succeeded; no writeback arrived");
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "completed")).status())
        .isEqualTo(200);
    assertThat(api.put("/api/jobs/" + id + "/status", Map.of("status", "failed")).status())
        .isEqualTo(409);
  }

  /** One pass of the reconcile loop now; how many jobs and runs it ended. */
  private int reconcile() {
    return server.reconcileLoop().orElseThrow().runOnce();
  }

  private static void assertProblem(ApiResponse response, String loc) {
    assertThat(response.status()).as(response.rawBody()).isEqualTo(422);
    List<String> locs = new ArrayList<>();
    response.body().get("detail").forEach(d -> locs.add(d.get("loc").toString()));
    assertThat(locs).as(response.rawBody()).contains(loc);
  }

  private static Map<String, Object> dataJob(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_type", "airflow.nlp");
    body.put("job_name", name + "-" + UUID.randomUUID().toString().substring(0, 8));
    body.put("properties_json", Map.of("dag_id", "existing_dag"));
    return body;
  }
}
