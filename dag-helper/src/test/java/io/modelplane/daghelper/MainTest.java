package io.modelplane.daghelper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String PSK = "s3cret-platform-psk-value";
  private static final String JOB_ID = "4b6f2c1e-8a52-4d7e-9a55-0c1f7d3e2a10";
  private static final String STATUS_PATH = "/api/automl/train/jobs/" + JOB_ID + "/status";
  private static final String JOB_STATUS_PATH = "/api/jobs/" + JOB_ID + "/status";
  private static final String RUNS_PATH = "/api/models/churn%2Fv2%20eu/deployments/nightly/runs";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void pskNeverPrinted() {
    assertThat(stdout()).doesNotContain(PSK);
    assertThat(stderr()).doesNotContain(PSK);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("MODELPLANE_RESULT_FILE");
    env.put("MODELPLANE_URL", server.baseUrl());
    env.put("MODELPLANE_PSK", PSK);
    env.put("AIRFLOW_CTX_DAG_ID", "modelplane_batch_churn");
    env.put("AIRFLOW_CTX_DAG_RUN_ID", "scheduled__2025-01-02T00:00:00+00:00");
    env.put("AIRFLOW_CTX_TASK_ID", "score");
    env.put("AIRFLOW_CTX_TRY_NUMBER", "1");
    return env;
  }

  private int run(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("--initial-backoff-ms", "1"));
    all.addAll(List.of(args));
    return Main.run(
        all.toArray(String[]::new),
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    return run(env(), args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The requests the server received, oldest first, as (method path, JSON body). */
  private List<Map.Entry<String, JsonNode>> received() throws Exception {
    List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
    Collections.reverse(events); // WireMock lists the newest first
    List<Map.Entry<String, JsonNode>> requests = new ArrayList<>();
    for (ServeEvent e : events) {
      requests.add(
          Map.entry(
              e.getRequest().getMethod() + " " + e.getRequest().getUrl(),
              JSON.readTree(e.getRequest().getBodyAsString())));
    }
    return requests;
  }

  private static void stubTraining() {
    server.stubFor(put(STATUS_PATH).willReturn(okJson("{\"job_id\":\"" + JOB_ID + "\"}")));
  }

  private static void stubRuns() {
    server.stubFor(post(urlEqualTo(RUNS_PATH)).willReturn(okJson("{\"status\":\"running\"}")));
  }

  @Test
  void trainingStatusSendsTheWriteback() {
    stubTraining();

    int code =
        run(
            "training-status",
            "--job-id",
            JOB_ID,
            "--status",
            "complete",
            "--mlflow-run-id",
            "run-1",
            "--registered-model-name=churn");

    assertThat(code).isZero();
    server.verify(
        1,
        putRequestedFor(urlEqualTo(STATUS_PATH))
            .withHeader("Authorization-PSK", equalTo(PSK))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("User-Agent", matching("modelplane-dag-helper/.+"))
            .withRequestBody(
                equalToJson(
                    "{\"status\":\"complete\",\"mlflow_run_id\":\"run-1\","
                        + "\"registered_model_name\":\"churn\"}")));
  }

  @Test
  void runStatusSendsTheCallbackWithEncodedPathAndAirflowRunIdFromEnvironment() {
    stubRuns();

    int code =
        run(
            "run-status",
            "--model",
            "churn/v2 eu",
            "--deployment",
            "nightly",
            "--status",
            "succeeded",
            "--rows-scored",
            "1200");

    assertThat(code).isZero();
    server.verify(
        1,
        postRequestedFor(urlEqualTo(RUNS_PATH))
            .withHeader("Authorization-PSK", equalTo(PSK))
            .withRequestBody(
                equalToJson(
                    "{\"airflow_run_id\":\"scheduled__2025-01-02T00:00:00+00:00\","
                        + "\"status\":\"succeeded\",\"rows_scored\":1200}")));
    assertThat(stderr()).contains("run_id=scheduled__2025-01-02T00:00:00+00:00");
  }

  @Test
  void runStatusSendsTheErrorMessageAndAnExplicitRunId() {
    stubRuns();

    int code =
        run(
            "run-status",
            "--model=churn/v2 eu",
            "--deployment=nightly",
            "--status=failed",
            "--airflow-run-id=manual__1",
            "--error-message=boom");

    assertThat(code).isZero();
    server.verify(
        postRequestedFor(urlEqualTo(RUNS_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"airflow_run_id\":\"manual__1\",\"status\":\"failed\","
                        + "\"error_message\":\"boom\"}")));
  }

  @Test
  void retriesServiceUnavailableAndSucceedsOnTheThirdAttempt() {
    server.stubFor(
        put(STATUS_PATH)
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("second"));
    server.stubFor(
        put(STATUS_PATH)
            .inScenario("flaky")
            .whenScenarioStateIs("second")
            .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"db down\"}"))
            .willSetStateTo("third"));
    server.stubFor(
        put(STATUS_PATH).inScenario("flaky").whenScenarioStateIs("third").willReturn(okJson("{}")));

    int code = run("training-status", "--job-id", JOB_ID, "--status", "running");

    assertThat(code).isZero();
    server.verify(3, putRequestedFor(urlEqualTo(STATUS_PATH)));
    assertThat(stderr())
        .contains("PUT " + server.baseUrl() + STATUS_PATH + " failed: HTTP 503; retry 1 in ")
        .contains("retry 2");
  }

  @Test
  void validationErrorIsNotRetriedAndExitsThreeWithTheServerMessage() {
    server.stubFor(
        put(STATUS_PATH)
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"detail\":[{\"loc\":[\"body\",\"mlflow_run_id\"],"
                            + "\"msg\":\"String should have at most 256 characters\","
                            + "\"type\":\"string_too_long\"}]}")));

    int code =
        run(
            "training-status",
            "--job-id",
            JOB_ID,
            "--status",
            "complete",
            "--mlflow-run-id",
            "r".repeat(300));

    assertThat(code).isEqualTo(Main.REJECTED);
    server.verify(1, putRequestedFor(urlEqualTo(STATUS_PATH)));
    assertThat(stderr())
        .contains("HTTP 422")
        .contains("body.mlflow_run_id: String should have at most 256 characters");
  }

  @Test
  void notImplementedIsNotRetriedAndExitsThree() {
    server.stubFor(
        post(urlEqualTo(RUNS_PATH))
            .willReturn(
                aResponse()
                    .withStatus(501)
                    .withBody("{\"error\":\"Deployments are not implemented yet\",\"code\":501}")));

    int code =
        run(
            "run-status",
            "--model",
            "churn/v2 eu",
            "--deployment",
            "nightly",
            "--status",
            "running");

    assertThat(code).isEqualTo(Main.REJECTED);
    server.verify(1, postRequestedFor(urlEqualTo(RUNS_PATH)));
    assertThat(stderr()).contains("HTTP 501").contains("Deployments are not implemented yet");
  }

  @Test
  void otherServerErrorsAreRetried() {
    server.stubFor(
        put(STATUS_PATH)
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("ok"));
    server.stubFor(
        put(STATUS_PATH).inScenario("flaky").whenScenarioStateIs("ok").willReturn(okJson("{}")));

    int code = run("training-status", "--job-id", JOB_ID, "--status", "running");

    assertThat(code).isZero();
    server.verify(2, putRequestedFor(urlEqualTo(STATUS_PATH)));
  }

  @Test
  void conflictExitsThreeWithTheServerError() {
    server.stubFor(
        put(STATUS_PATH)
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("X-Request-Id", "req-9")
                    .withBody(
                        "{\"error\":\"training job is complete; cannot become running\","
                            + "\"code\":409}")));

    int code = run("training-status", "--job-id", JOB_ID, "--status", "running");

    assertThat(code).isEqualTo(Main.REJECTED);
    assertThat(stderr())
        .contains("HTTP 409, request req-9")
        .contains("training job is complete; cannot become running");
  }

  @Test
  void unreachableServerExitsFourAtTheDeadline() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = env();
    env.put("MODELPLANE_URL", "http://127.0.0.1:" + port);

    int code =
        run(
            env,
            "--deadline-seconds",
            "1",
            "training-status",
            "--job-id",
            JOB_ID,
            "--status",
            "running");

    assertThat(code).isEqualTo(Main.UNREACHABLE);
    String url = "http://127.0.0.1:" + port + STATUS_PATH;
    assertThat(stderr())
        .contains(
            "PUT "
                + url
                + " failed: connection refused or host unreachable (ConnectException);"
                + " retry 1 in ")
        .contains("gave up on PUT " + url);
  }

  @Test
  void wrapReportsRunningThenFailedWithTheStderrTailAndExitsWithTheCommandsCode() throws Exception {
    stubTraining();

    int code =
        run(
            "wrap",
            "--training-job",
            JOB_ID,
            "--",
            "sh",
            "-c",
            "echo \"psk=$MODELPLANE_PSK\" >&2; echo 'training blew up' >&2; exit 3");

    assertThat(code).isEqualTo(3);
    List<Map.Entry<String, JsonNode>> requests = received();
    assertThat(requests).extracting(Map.Entry::getKey).containsOnly("PUT " + STATUS_PATH);
    assertThat(requests)
        .extracting(r -> r.getValue().get("status").asText())
        .containsExactly("running", "failed");
    assertThat(requests.get(1).getValue().get("error_message").asText())
        .isEqualTo("command exited with code 3: psk=\ntraining blew up");
    assertThat(stderr()).contains("training blew up");
  }

  @Test
  void wrapReportsRunningThenCompleteWithTheResultFile() throws Exception {
    stubTraining();

    int code =
        run(
            "wrap",
            "--training-job",
            JOB_ID,
            "--",
            "sh",
            "-c",
            "echo '{\"mlflow_run_id\":\"r-7\",\"registered_model_name\":\"churn\"}'"
                + " > \"$MODELPLANE_RESULT_FILE\"");

    assertThat(code).isZero();
    List<Map.Entry<String, JsonNode>> requests = received();
    assertThat(requests)
        .extracting(r -> r.getValue().toString())
        .containsExactly(
            "{\"status\":\"running\"}",
            "{\"status\":\"complete\",\"mlflow_run_id\":\"r-7\","
                + "\"registered_model_name\":\"churn\"}");
  }

  @Test
  void jobStatusSendsTheWritebackOfADataEngineeringJob() throws Exception {
    server.stubFor(put(JOB_STATUS_PATH).willReturn(okJson("{\"id\":\"" + JOB_ID + "\"}")));

    int code =
        run("job-status", "--job-id", JOB_ID, "--status", "completed", "--status-message", "ok");

    assertThat(code).isZero();
    assertThat(received())
        .extracting(r -> r.getKey() + " " + r.getValue())
        .containsExactly(
            "PUT " + JOB_STATUS_PATH + " {\"status\":\"completed\",\"status_message\":\"ok\"}");
    assertThat(run("job-status", "--job-id", JOB_ID, "--status", "complete")).isEqualTo(2);
  }

  @Test
  void wrapJobReportsRunningThenCompletedOrFailedToTheJobsEndpoint() throws Exception {
    server.stubFor(put(JOB_STATUS_PATH).willReturn(okJson("{\"id\":\"" + JOB_ID + "\"}")));

    assertThat(run("wrap", "--job", JOB_ID, "--", "true")).isZero();
    assertThat(run("wrap", "--job", JOB_ID, "--", "sh", "-c", "echo 'no table' >&2; exit 5"))
        .isEqualTo(5);

    List<Map.Entry<String, JsonNode>> requests = received();
    assertThat(requests).extracting(Map.Entry::getKey).containsOnly("PUT " + JOB_STATUS_PATH);
    assertThat(requests)
        .extracting(r -> r.getValue().toString())
        .containsExactly(
            "{\"status\":\"running\"}",
            "{\"status\":\"completed\"}",
            "{\"status\":\"running\"}",
            "{\"status\":\"failed\",\"status_message\":\"command exited with code 5: no table\"}");
    assertThat(run("wrap", "--job", JOB_ID, "--training-job", JOB_ID, "--", "true")).isEqualTo(2);
  }

  @Test
  void wrapTrueReportsRunningThenComplete() throws Exception {
    stubTraining();

    int code = run("wrap", "--training-job", JOB_ID, "--", "true");

    assertThat(code).isZero();
    assertThat(received())
        .extracting(r -> r.getValue().toString())
        .containsExactly("{\"status\":\"running\"}", "{\"status\":\"complete\"}");
  }

  @Test
  void wrapDeploymentReportsSucceededWithRowsFromAGivenResultFile(@TempDir Path dir)
      throws Exception {
    stubRuns();
    Path resultFile = dir.resolve("out.json");
    Files.writeString(resultFile, "{\"rows_scored\": 999}"); // stale: deleted before the run

    int code =
        run(
            "wrap",
            "--model",
            "churn/v2 eu",
            "--deployment",
            "nightly",
            "--result-file",
            resultFile.toString(),
            "--",
            "sh",
            "-c",
            "echo '{\"rows_scored\": 42}' > \"$MODELPLANE_RESULT_FILE\"");

    assertThat(code).isZero();
    assertThat(received())
        .extracting(r -> r.getValue().toString())
        .containsExactly(
            "{\"airflow_run_id\":\"scheduled__2025-01-02T00:00:00+00:00\",\"status\":\"running\"}",
            "{\"airflow_run_id\":\"scheduled__2025-01-02T00:00:00+00:00\","
                + "\"status\":\"succeeded\",\"rows_scored\":42}");
  }

  @Test
  void wrapDoesNotRunTheCommandWhenRunningIsRejected(@TempDir Path dir) {
    server.stubFor(
        put(STATUS_PATH)
            .willReturn(aResponse().withStatus(404).withBody("{\"error\":\"no such job\"}")));
    Path marker = dir.resolve("ran");

    int code = run("wrap", "--training-job", JOB_ID, "--", "touch", marker.toString());

    assertThat(code).isEqualTo(Main.REJECTED);
    assertThat(marker).doesNotExist();
    assertThat(stderr()).contains("no such job");
  }

  @Test
  void wrapOfAMissingProgramReportsFailedAndExits127() throws Exception {
    stubTraining();

    int code = run("wrap", "--training-job", JOB_ID, "--", "/nonexistent/program");

    assertThat(code).isEqualTo(Main.COULD_NOT_START);
    List<Map.Entry<String, JsonNode>> requests = received();
    assertThat(requests)
        .extracting(r -> r.getValue().get("status").asText())
        .containsExactly("running", "failed");
    String reason = "cannot start '/nonexistent/program': No such file or directory";
    assertThat(requests.get(1).getValue().get("error_message").asText()).isEqualTo(reason);
    assertThat(stderr()).contains("modelplane-dag-helper: " + reason + "\n");
  }

  @Test
  void wrapOfATrainingJobPrintsComplete() throws Exception {
    stubTraining();

    int code = run("wrap", "--training-job", JOB_ID, "--", "true");

    assertThat(code).isZero();
    assertThat(stderr())
        .contains("training job " + JOB_ID + ": complete")
        .doesNotContain("succeeded");
  }

  @Test
  void aBadStatusOrANonUuidJobIdIsAUsageErrorBeforeAnyRequest() throws Exception {
    stubTraining();

    int badStatus = run("training-status", "--job-id", JOB_ID, "--status", "done");
    int badRunStatus =
        run("run-status", "--model", "churn", "--deployment", "nightly", "--status", "complete");
    int badId = run("training-status", "--job-id", "42", "--status", "running");
    int badWrapId = run("wrap", "--training-job", "job-42", "--", "true");

    assertThat(List.of(badStatus, badRunStatus, badId, badWrapId)).containsOnly(Main.USAGE);
    assertThat(stderr())
        .contains("--status must be one of ready, queued, running, complete, failed, not 'done'")
        .contains("--status must be one of queued, running, succeeded, failed, not 'complete'")
        .contains("--job-id must be a UUID, not '42'")
        .contains("--training-job must be a UUID, not 'job-42'");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void pskFromFlagWorksWithAWarningAndIsNeverPrinted() {
    stubTraining();
    Map<String, String> env = env();
    env.remove("MODELPLANE_PSK");

    int code =
        run(env, "--psk", PSK, "training-status", "--job-id", JOB_ID, "--status", "running", "x");

    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(stderr()).contains("unexpected argument 'x'");

    code = run(env, "--psk", PSK, "training-status", "--job-id", JOB_ID, "--status", "running");

    assertThat(code).isZero();
    assertThat(stderr()).contains("prefer MODELPLANE_PSK");
    server.verify(
        putRequestedFor(urlEqualTo(STATUS_PATH)).withHeader("Authorization-PSK", equalTo(PSK)));
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run()).isEqualTo(Main.USAGE);
    assertThat(run("deploy")).isEqualTo(Main.USAGE);
    assertThat(run("training-status", "--status", "running")).isEqualTo(Main.USAGE);
    assertThat(run("training-status", "--job-id", JOB_ID, "--model", "m", "--status", "x"))
        .isEqualTo(Main.USAGE);
    assertThat(run("run-status", "--model", "m", "--deployment", "d", "--status", "x", "-r"))
        .isEqualTo(Main.USAGE);
    assertThat(run("wrap", "--training-job", JOB_ID)).isEqualTo(Main.USAGE);
    assertThat(run("wrap", "--training-job", JOB_ID, "--model", "m", "--", "true"))
        .isEqualTo(Main.USAGE);
    assertThat(run("--deadline-seconds", "0", "training-status")).isEqualTo(Main.USAGE);
    Map<String, String> noUrl = env();
    noUrl.remove("MODELPLANE_URL");
    assertThat(run(noUrl, "training-status", "--job-id", JOB_ID, "--status", "x"))
        .isEqualTo(Main.USAGE);
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void helpDocumentsTheCommandsAndExitsZero() {
    assertThat(run("--help")).isZero();
    assertThat(stdout())
        .isEqualTo(Main.HELP)
        .contains("training-status", "run-status", "wrap", "MODELPLANE_RESULT_FILE");
  }
}
