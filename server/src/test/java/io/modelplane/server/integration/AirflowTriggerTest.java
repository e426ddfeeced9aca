package io.modelplane.server.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.modelplane.server.config.AirflowApiVersion;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The requests Modelplane makes to Airflow, proven against WireMock standing in for Airflow's REST
 * API: exactly the calls Airflow expects, and an Airflow error that loses nothing.
 */
class AirflowTriggerTest {
  private static final String JOBS = "/api/automl/train/jobs";
  private final WireMockAirflow airflow = new WireMockAirflow();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    airflow.stop();
  }

  private ApiClient start(AirflowApiVersion version) {
    airflow.start();
    server =
        TestServer.start(
            TestDatabases.h2(), Optional.of(TestServer.airflow(airflow.baseUrl(), version)));
    return server.client();
  }

  @Test
  void createWithTriggerNowSendsExactlyOneV2DagRunRequestWithASessionToken() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("jwt-from-airflow")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(okJson("{\"state\":\"queued\"}")));

    ApiResponse created = api.post(JOBS, job(true));

    assertThat(created.status()).isEqualTo(201);
    String jobId = created.text("job_id");
    String dagId = "modelplane-training-" + jobId;
    assertThat(created.text("status")).isEqualTo("queued");
    assertThat(created.text("airflow_dag_run_id")).isEqualTo("modelplane__" + jobId + "__1");
    assertThat(created.text("airflow_dag_url")).isEqualTo(airflow.baseUrl() + "/dags/" + dagId);
    awaitRequests(postRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns")), 1);
    airflow.verify(
        1,
        postRequestedFor(urlEqualTo("/auth/token"))
            .withRequestBody(
                equalToJson("{\"username\":\"modelplane\",\"password\":\"airflow-secret\"}")));
    airflow.verify(
        1,
        postRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "/dagRuns"))
            .withHeader("Authorization", equalTo("Bearer jwt-from-airflow"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    "{\"dag_run_id\":\"modelplane__"
                        + jobId
                        + "__1\",\"logical_date\":null,\"conf\":{\"job_id\":\""
                        + jobId
                        + "\",\"attempt\":1}}")));
    assertThat(airflow.getAllServeEvents()).hasSize(2);
    List<String> events = eventTransitions(api, jobId);
    assertThat(events).containsExactly("null→ready", "ready→queued");
  }

  @Test
  void v1UsesBasicAuthAndNoLogicalDate() {
    ApiClient api = start(AirflowApiVersion.V1);
    airflow.stubFor(
        post(urlPathMatching("/api/v1/dags/.*/dagRuns"))
            .willReturn(okJson("{\"state\":\"queued\"}")));
    String jobId = api.post(JOBS, job(false)).text("job_id");

    ApiResponse triggered = api.post(JOBS + "/" + jobId + "/trigger", null);

    assertThat(triggered.status()).isEqualTo(200);
    assertThat(triggered.text("status")).isEqualTo("queued");
    awaitRequests(postRequestedFor(urlPathMatching("/api/v1/dags/.*/dagRuns")), 1);
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("modelplane:airflow-secret".getBytes(StandardCharsets.UTF_8));
    airflow.verify(
        1,
        postRequestedFor(urlEqualTo("/api/v1/dags/modelplane-training-" + jobId + "/dagRuns"))
            .withHeader("Authorization", equalTo(basic))
            .withRequestBody(
                equalToJson(
                    "{\"dag_run_id\":\"modelplane__"
                        + jobId
                        + "__1\",\"conf\":{\"job_id\":\""
                        + jobId
                        + "\",\"attempt\":1}}")));
    assertThat(api.post(JOBS + "/" + jobId + "/trigger", null).status()).isEqualTo(409);
  }

  @Test
  void anAirflowErrorLeavesTheJobReadyWithTheMessageAndItCanBeTriggeredAgain() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"DAG not found\"}")));

    ApiResponse created = api.post(JOBS, job(true));

    // The trigger is committed and retried in the background (Airflow may not have parsed the
    // DAG yet); when the attempts run out the job is ready again, with Airflow's reason.
    assertThat(created.status()).isEqualTo(201);
    String jobId = created.text("job_id");
    assertThat(created.text("status")).isEqualTo("queued");
    ApiResponse ready = awaitStatus(api, jobId, "ready");
    assertThat(ready.text("error_message")).contains("HTTP 404", "DAG not found");
    airflow.verify(5, postRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns")));
    assertThat(eventTransitions(api, jobId))
        .containsExactly("null→ready", "ready→queued", "queued→ready");

    airflow.resetMappings();
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(okJson("{\"state\":\"queued\"}")));
    ApiResponse triggered = api.post(JOBS + "/" + jobId + "/trigger", null);

    assertThat(triggered.status()).isEqualTo(200);
    assertThat(triggered.text("status")).isEqualTo("queued");
    assertThat(triggered.text("error_message")).isNull();
    assertThat(triggered.text("airflow_dag_run_id")).isEqualTo("modelplane__" + jobId + "__2");
    awaitRequests(
        postRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("__2")),
        1);
    assertThat(api.get(JOBS + "/" + jobId).text("status")).isEqualTo("queued");
  }

  @Test
  void aRunThatAirflowAlreadyHasCountsAsTriggered() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"detail\":{\"reason\":\"Unique constraint violation\","
                            + "\"statement\":\"INSERT INTO dag_run (dag_id, run_id) VALUES (?, ?)\","
                            + "\"orig_error\":\"duplicate key value violates unique constraint\","
                            + "\"message\":\"DAG Run with run_id already exists\"}}")));

    ApiResponse created = api.post(JOBS, job(true));

    assertThat(created.text("status")).isEqualTo("queued");
  }

  @Test
  void anExpiredSessionTokenIsRenewedOnce() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(
        post("/auth/token")
            .inScenario("token")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(WireMockAirflow.token("old"))
            .willSetStateTo("renewed"));
    airflow.stubFor(
        post("/auth/token")
            .inScenario("token")
            .whenScenarioStateIs("renewed")
            .willReturn(WireMockAirflow.token("new")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .withHeader("Authorization", equalTo("Bearer old"))
            .willReturn(aResponse().withStatus(401)));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .withHeader("Authorization", equalTo("Bearer new"))
            .willReturn(okJson("{\"state\":\"queued\"}")));

    ApiResponse created = api.post(JOBS, job(true));

    assertThat(created.text("status")).isEqualTo("queued");
    awaitRequests(postRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns")), 2);
    airflow.verify(2, postRequestedFor(urlEqualTo("/auth/token")));
    assertThat(api.get(JOBS + "/" + created.text("job_id")).text("status")).isEqualTo("queued");
  }

  @Test
  void aTokenAirflowCanNoLongerVerifyIsRenewedOnceAndTheCallRetried() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(
        post("/auth/token")
            .inScenario("restart")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(WireMockAirflow.token("signed-before-restart"))
            .willSetStateTo("restarted"));
    airflow.stubFor(
        post("/auth/token")
            .inScenario("restart")
            .whenScenarioStateIs("restarted")
            .willReturn(WireMockAirflow.token("signed-after-restart")));
    // What Airflow 3's JWT validator answers for a token signed with a key it no longer has.
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .withHeader("Authorization", equalTo("Bearer signed-before-restart"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"Invalid JWT token\"}")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .withHeader("Authorization", equalTo("Bearer signed-after-restart"))
            .willReturn(okJson("{\"state\":\"queued\"}")));

    ApiResponse created = api.post(JOBS, job(true));

    assertThat(created.text("status")).isEqualTo("queued");
    awaitRequests(
        postRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .withHeader("Authorization", equalTo("Bearer signed-after-restart")),
        1);
    airflow.verify(2, postRequestedFor(urlEqualTo("/auth/token")));
    airflow.verify(2, postRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns")));
    JsonNode job = api.get(JOBS + "/" + created.text("job_id")).body();
    assertThat(job.get("status").asText()).isEqualTo("queued");
    assertThat(job.path("error_message").isNull() || job.path("error_message").isMissingNode())
        .as(job.toString())
        .isTrue();
  }

  @Test
  void aForbiddenThatIsNotAboutTheTokenIsNotRetriedWithANewOne() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"Forbidden\"}")));

    String jobId = api.post(JOBS, job(true)).text("job_id");

    JsonNode job =
        Await.until(
            () -> api.get(JOBS + "/" + jobId).body(),
            j -> !j.path("error_message").isNull() && !j.path("error_message").isMissingNode(),
            Duration.ofSeconds(30));
    assertThat(job.get("error_message").asText()).contains("HTTP 403").contains("Forbidden");
    airflow.verify(1, postRequestedFor(urlEqualTo("/auth/token")));
  }

  @Test
  void bulkStatusReconcilesWithTheDagRunStateAirflowReports() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(okJson("{\"state\":\"queued\"}")));
    String crashed = api.post(JOBS, job(true)).text("job_id");
    String started = api.post(JOBS, job(true)).text("job_id");
    airflow.stubFor(
        get("/api/v2/dags/modelplane-training-"
                + crashed
                + "/dagRuns/modelplane__"
                + crashed
                + "__1")
            .willReturn(okJson("{\"state\":\"failed\"}")));
    airflow.stubFor(
        get("/api/v2/dags/modelplane-training-"
                + started
                + "/dagRuns/modelplane__"
                + started
                + "__1")
            .willReturn(okJson("{\"state\":\"running\"}")));

    ApiResponse statuses = api.get(JOBS + "/status?ids=" + crashed + "&ids=" + started);

    assertThat(statuses.status()).isEqualTo(200);
    Map<String, String> byId = new LinkedHashMap<>();
    statuses
        .body()
        .get("statuses")
        .forEach(
            s ->
                byId.put(
                    s.get("job_id").asText(),
                    s.get("status").asText() + "/" + s.get("airflow_state").asText()));
    assertThat(byId)
        .containsExactly(
            Map.entry(crashed, "failed/failed"), Map.entry(started, "running/running"));
    ApiResponse crashedJob = api.get(JOBS + "/" + crashed);
    assertThat(crashedJob.text("error_message")).contains("Airflow reports DAG run", "failed");
    var events = api.get(JOBS + "/" + crashed + "/events").body().get("items");
    assertThat(events.get(events.size() - 1).get("actor").asText()).isEqualTo("airflow-reconcile");
    airflow.verify(2, getRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns/.*")));

    // Terminal jobs are not asked about again.
    api.get(JOBS + "/status?ids=" + crashed);
    airflow.verify(2, getRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns/.*")));
  }

  @Test
  void cancellingAQueuedJobMarksItsDagRunFailedInAirflow() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(okJson("{\"state\":\"queued\"}")));
    airflow.stubFor(
        patch(urlPathMatching("/api/v2/dags/.*/dagRuns/.*"))
            .willReturn(okJson("{\"state\":\"failed\"}")));
    String jobId = api.post(JOBS, job(true)).text("job_id");

    ApiResponse cancelled = api.post(JOBS + "/" + jobId + "/cancel", null);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("failed");
    awaitRequests(patchRequestedFor(urlPathMatching("/api/v2/dags/.*/dagRuns/.*")), 1);
    airflow.verify(
        1,
        patchRequestedFor(
                urlEqualTo(
                    "/api/v2/dags/modelplane-training-"
                        + jobId
                        + "/dagRuns/modelplane__"
                        + jobId
                        + "__1"))
            .withRequestBody(equalToJson("{\"state\":\"failed\"}")));
  }

  @Test
  void anUnreachableAirflowIs503AndTheJobStaysReady() {
    airflow.start();
    int closedPort = airflow.port();
    airflow.stop();
    server =
        TestServer.start(
            TestDatabases.h2(),
            Optional.of(
                TestServer.airflow("http://127.0.0.1:" + closedPort, AirflowApiVersion.V1)));
    ApiClient api = server.client();
    String jobId = api.post(JOBS, job(false)).text("job_id");

    ApiResponse triggered = api.post(JOBS + "/" + jobId + "/trigger", null);

    assertThat(triggered.status()).isEqualTo(200);
    assertThat(triggered.text("status")).isEqualTo("queued");
    ApiResponse ready = awaitStatus(api, jobId, "ready");
    assertThat(ready.text("error_message")).contains("Airflow is unreachable");
  }

  @Test
  void airflowCredentialsNeverReachTheResponses() {
    ApiClient api = start(AirflowApiVersion.V2);
    airflow.stubFor(post("/auth/token").willReturn(aResponse().withStatus(403)));

    ApiResponse created = api.post(JOBS, job(true));
    ApiResponse ready = awaitStatus(api, created.text("job_id"), "ready");

    assertThat(ready.rawBody()).doesNotContain("airflow-secret");
    assertThat(ready.text("error_message")).contains("HTTP 403");
    airflow.verify(1, postRequestedFor(urlEqualTo("/auth/token"))); // a 403 is not retried
    for (LoggedRequest request : airflow.findAll(postRequestedFor(urlEqualTo("/auth/token")))) {
      assertThat(request.getBodyAsString()).contains("airflow-secret"); // only Airflow sees it
    }
  }

  private void awaitRequests(
      com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern, int count) {
    Await.until(() -> airflow.findAll(pattern).size(), n -> n >= count, Duration.ofSeconds(20));
  }

  private static ApiResponse awaitStatus(ApiClient api, String jobId, String status) {
    return Await.until(
        () -> api.get(JOBS + "/" + jobId),
        r -> status.equals(r.text("status")),
        Duration.ofSeconds(20));
  }

  private static List<String> eventTransitions(ApiClient api, String jobId) {
    List<String> out = new java.util.ArrayList<>();
    api.get(JOBS + "/" + jobId + "/events")
        .body()
        .get("items")
        .forEach(
            e ->
                out.add(
                    (e.get("from_status").isNull() ? "null" : e.get("from_status").asText())
                        + "→"
                        + e.get("to_status").asText()));
    return out;
  }

  private static Map<String, Object> job(boolean triggerNow) {
    return SampleRequests.regressionJob(triggerNow);
  }
}
