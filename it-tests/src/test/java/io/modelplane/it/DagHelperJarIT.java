package io.modelplane.it;

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
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.ProblemType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dag-helper jar ({@code java -jar modelplane-dag-helper.jar}) as an Airflow task runs it:
 * against the real server jar (on a PostgreSQL database of its own), and against WireMock to check
 * the exact request it sends and to inject 503s, 422s and an unreachable server. Both are behind a
 * contract proxy, so the stand-in's answers must be ones the real server could give.
 */
class DagHelperJarIT {

  private static final String AIRFLOW_RUN_ID = "scheduled__2025-01-02T00:00:00+00:00";

  private static ServerUnderTest server;
  private static String psk;
  private static ModelplaneClient client;
  private static DagHelperCli dagHelper;

  private WireMockServer wiremock;
  private ContractProxy wiremockContract;
  private DagHelperCli againstWireMock;

  @BeforeAll
  static void startServer() {
    server = ServerUnderTest.onPostgres("dag-helper", Map.of());
    psk = server.psk();
    client = server.client();
    dagHelper = server.dagHelper();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void startWireMock() {
    wiremock = new WireMockServer(options().dynamicPort());
    wiremock.start();
    wiremockContract = ContractProxy.start(wiremock.baseUrl());
    againstWireMock = new DagHelperCli(wiremockContract.baseUrl(), psk);
  }

  @AfterEach
  void stopWireMockAndCheckTheContract() {
    wiremockContract.close();
    wiremock.stop();
    wiremockContract.assertNoViolations();
    server.assertContractKept();
  }

  private static UUID createJob(String name) {
    AutoMLTrainingJobCreate request =
        new AutoMLTrainingJobCreate()
            .name(name + "-" + UUID.randomUUID().toString().substring(0, 8))
            .domain("it")
            .owner("it-tests")
            .sourceTable("analytics.customers")
            .problemType(ProblemType.REGRESSION)
            .labelColumn("revenue")
            .triggerNow(false);
    return client.trainingJobs().create(request).getJobId();
  }

  private static AutoMLTrainingJobResponse job(UUID jobId) {
    return client.trainingJobs().get(jobId);
  }

  private static void assertNoPsk(DagHelperCli.Result result) {
    assertThat(result.stdout()).doesNotContain(psk);
    assertThat(result.stderr()).doesNotContain(psk);
  }

  /** A training job as the server returns it (the contract proxy checks the stand-in too). */
  private static String jobResponse(String jobId, String status) {
    return """
        {"job_id": "%s", "name": "stub", "domain": "it", "owner": "it-tests",
         "source_table": "analytics.customers", "problem_type": "regression",
         "algorithm": "lightgbm_regressor", "preset": "balanced", "status": "%s",
         "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"}
        """
        .formatted(jobId, status);
  }

  @Test
  void helpPrintsTheUsageAndExitsZero() {
    DagHelperCli.Result result = dagHelper.run("--help");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout())
        .startsWith("Usage: modelplane-dag-helper COMMAND")
        .contains("training-status", "run-status", "wrap", "Exit codes");
  }

  @Test
  void trainingStatusMovesARealJobToRunning() {
    UUID jobId = createJob("status");

    DagHelperCli.Result result =
        dagHelper.run("training-status", "--job-id", jobId.toString(), "--status", "running");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(job(jobId).getStatus()).isEqualTo(AutoMLTrainingJobStatus.RUNNING);
    assertNoPsk(result);
  }

  @Test
  void wrapOfACommandExiting3LeavesTheJobFailedWithAMessageAndExits3() {
    UUID jobId = createJob("wrap-fail");

    DagHelperCli.Result result =
        dagHelper.run("wrap", "--training-job", jobId.toString(), "--", "sh", "-c", "exit 3");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    AutoMLTrainingJobResponse job = job(jobId);
    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.FAILED);
    assertThat(job.getErrorMessage()).isEqualTo("command exited with code 3");
    assertNoPsk(result);
  }

  @Test
  void wrapOfTrueCompletesTheJob() {
    UUID jobId = createJob("wrap-ok");

    DagHelperCli.Result result =
        dagHelper.run("wrap", "--training-job", jobId.toString(), "--", "true");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(job(jobId).getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertNoPsk(result);
  }

  @Test
  void aWritebackTheRealServerRejectsExitsRejectedWithTheServersMessage() {
    UUID jobId = createJob("rejected");

    DagHelperCli.Result invalid =
        dagHelper.run("training-status", "--job-id", jobId.toString(), "--status", "done");
    DagHelperCli.Result notAllowed =
        dagHelper.run("training-status", "--job-id", jobId.toString(), "--status", "complete");
    DagHelperCli.Result unknown =
        dagHelper.run(
            "training-status", "--job-id", UUID.randomUUID().toString(), "--status", "running");

    assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(2);
    assertThat(invalid.stderr()).contains("--status must be one of");
    assertThat(notAllowed.exitCode()).as(notAllowed.toString()).isEqualTo(3);
    assertThat(notAllowed.stderr()).contains("HTTP 409");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(3);
    assertThat(unknown.stderr()).contains("HTTP 404");
    assertThat(job(jobId).getStatus()).isEqualTo(AutoMLTrainingJobStatus.READY);
  }

  @Test
  void runStatusRecordsTheAirflowRunFromTheEnvironmentWithRowsScored() {
    String path = "/api/models/churn/deployments/nightly/runs";
    wiremock.stubFor(
        post(urlEqualTo(path))
            .willReturn(
                okJson(
                    "{\"run_id\":\""
                        + UUID.randomUUID()
                        + "\",\"airflow_run_id\":\""
                        + AIRFLOW_RUN_ID
                        + "\",\"status\":\"succeeded\",\"rows_scored\":1200}")));

    DagHelperCli.Result result =
        againstWireMock.run(
            Map.of("AIRFLOW_CTX_DAG_RUN_ID", AIRFLOW_RUN_ID, "AIRFLOW_CTX_DAG_ID", "batch_churn"),
            "run-status",
            "--model",
            "churn",
            "--deployment",
            "nightly",
            "--status",
            "succeeded",
            "--rows-scored",
            "1200");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    wiremock.verify(
        1,
        postRequestedFor(urlEqualTo(path))
            .withHeader("Authorization-PSK", equalTo(psk))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("User-Agent", matching("modelplane-dag-helper/.+"))
            .withRequestBody(
                equalToJson(
                    "{\"airflow_run_id\":\""
                        + AIRFLOW_RUN_ID
                        + "\",\"status\":\"succeeded\",\"rows_scored\":1200}")));
    assertThat(result.stderr()).contains("run_id=" + AIRFLOW_RUN_ID);
    assertNoPsk(result);
  }

  @Test
  void aWritebackAnswered503TwiceSucceedsOnTheThirdAttempt() {
    String path = "/api/automl/train/jobs/" + UUID.randomUUID() + "/status";
    String state = STARTED;
    for (String next : new String[] {"second", "third"}) {
      wiremock.stubFor(
          put(urlEqualTo(path))
              .inScenario("flaky")
              .whenScenarioStateIs(state)
              .willReturn(
                  aResponse()
                      .withStatus(503)
                      .withHeader("Content-Type", "application/json")
                      .withBody("{\"error\":\"database restarting\",\"code\":503}"))
              .willSetStateTo(next));
      state = next;
    }
    wiremock.stubFor(
        put(urlEqualTo(path))
            .inScenario("flaky")
            .whenScenarioStateIs("third")
            .willReturn(okJson(jobResponse(path.split("/")[5], "running"))));

    DagHelperCli.Result result =
        againstWireMock.run(
            "training-status",
            "--initial-backoff-ms",
            "50",
            "--job-id",
            path.split("/")[5],
            "--status",
            "running");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    wiremock.verify(
        3,
        putRequestedFor(urlEqualTo(path)).withRequestBody(equalToJson("{\"status\":\"running\"}")));
    assertThat(result.stderr()).contains("HTTP 503").contains("retry 1").contains("retry 2");
    assertNoPsk(result);
  }

  @Test
  void a422IsNotRetriedAndExitsNonZeroWithTheServersMessage() {
    String jobId = UUID.randomUUID().toString();
    String path = "/api/automl/train/jobs/" + jobId + "/status";
    wiremock.stubFor(
        put(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"detail\":[{\"loc\":[\"body\",\"error_message\"],"
                            + "\"msg\":\"String should have at most 8000 characters\","
                            + "\"type\":\"string_too_long\"}]}")));

    DagHelperCli.Result result =
        againstWireMock.run(
            "training-status",
            "--initial-backoff-ms",
            "50",
            "--job-id",
            jobId,
            "--status",
            "failed",
            "--error-message",
            "boom");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    wiremock.verify(1, putRequestedFor(urlEqualTo(path)));
    assertThat(result.stderr())
        .contains("HTTP 422")
        .contains("body.error_message: String should have at most 8000 characters");
    assertNoPsk(result);
  }

  @Test
  void anUnreachableServerIsRetriedUntilTheDeadlineThenExitsNonZero() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    DagHelperCli unreachable = new DagHelperCli("http://127.0.0.1:" + port, psk);

    DagHelperCli.Result result =
        unreachable.run(
            "training-status",
            "--deadline-seconds",
            "2",
            "--initial-backoff-ms",
            "50",
            "--job-id",
            UUID.randomUUID().toString(),
            "--status",
            "running");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
    assertThat(result.stderr()).contains("retry 1").contains("gave up on PUT");
    assertNoPsk(result);
  }
}
