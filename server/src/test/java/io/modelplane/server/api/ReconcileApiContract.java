package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.ReconcileConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reconcile loop over real HTTP with WireMock as Airflow (silence 1 s, grace 1 s, a pass every
 * 100 ms): a training job or deployment run whose worker died (no writeback) ends as Airflow
 * reports it, with a reason naming the reconcile; one Airflow does not know fails after the grace;
 * a late writeback that agrees is a 200 no-op, one that disagrees a 409 with the recorded outcome.
 * Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReconcileApiContract {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final WireMockAirflow airflow = new WireMockAirflow();
  private TestServer server;
  private ApiClient api;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    airflow.start();
    server =
        TestServer.start(
            TestServer.config(databaseConfig(), Optional.of(airflow.config()))
                .withReconcile(
                    new ReconcileConfig(
                        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100))));
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
    airflow.stop();
  }

  @BeforeEach
  void stubs() {
    // Unless a test says otherwise, Airflow runs everything forever.
    airflow.resetToTokenPauseAndTrigger().answerDagRunsAs("running");
  }

  @Test
  void aTrainingJobWhoseWorkerDiedEndsAsAirflowReportsWithTheReconcileReason() {
    JsonNode job = api.post("/api/automl/train/jobs", SampleRequests.trainingJob("died")).body();
    String id = job.get("job_id").asText();
    assertThat(writeback(id, "running").status()).isEqualTo(200);
    airflow.stubFor(
        get(urlEqualTo(
                "/api/v2/dags/"
                    + job.get("airflow_dag_id").asText()
                    + "/dagRuns/"
                    + job.get("airflow_dag_run_id").asText()))
            .atPriority(1)
            .willReturn(okJson("{\"state\":\"failed\"}")));

    ApiResponse failed =
        Await.until(
            () -> api.get("/api/automl/train/jobs/" + id),
            r -> "failed".equals(r.text("status")),
            WAIT);

    assertThat(failed.text("error_message"))
        .isEqualTo("Airflow reports the run failed; no writeback arrived");
    JsonNode events = api.get("/api/automl/train/jobs/" + id + "/events").body().get("items");
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("actor").asText()).isEqualTo("reconcile");
    ApiResponse agreeing = writeback(id, "failed");
    assertThat(agreeing.status()).isEqualTo(200);
    assertThat(agreeing.text("status")).isEqualTo("failed");
    ApiResponse lateSuccess = writeback(id, "complete");
    assertThat(lateSuccess.status()).isEqualTo(409);
    assertThat(lateSuccess.text("error"))
        .contains("ended as failed by the reconcile loop", "no writeback arrived", "(complete)");
    assertThat(writeback(id, "running").status()).isEqualTo(409);
  }

  @Test
  void aTrainingJobAirflowDoesNotKnowFailsAfterTheGracePeriod() {
    JsonNode job = api.post("/api/automl/train/jobs", SampleRequests.trainingJob("unknown")).body();
    String id = job.get("job_id").asText();
    airflow.stubFor(
        get(urlPathMatching(
                "/api/v2/dags/" + job.get("airflow_dag_id").asText() + "/dagRuns/[^/]+"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"DAG run not found\"}")));

    ApiResponse failed =
        Await.until(
            () -> api.get("/api/automl/train/jobs/" + id),
            r -> "failed".equals(r.text("status")),
            WAIT);

    assertThat(failed.text("error_message"))
        .isEqualTo(
            "Airflow does not know DAG run "
                + job.get("airflow_dag_run_id").asText()
                + "; no writeback arrived");
  }

  @Test
  void aDeploymentRunWithoutCallbacksEndsAsAirflowReportsAndLateCallbacksAreJudged() {
    String model = "reconcile-" + UUID.randomUUID().toString().substring(0, 8);
    String deployment = "/api/models/" + model + "/deployments/nightly";
    assertThat(
            api.post("/api/models/" + model + "/deployments", SampleRequests.deployment(model))
                .status())
        .isEqualTo(201);
    Await.until(() -> api.get(deployment), r -> "active".equals(r.text("status")), WAIT);
    ApiResponse queued = api.post(deployment + "/trigger", null);
    assertThat(queued.status()).isEqualTo(202);
    String airflowRunId = queued.text("airflow_run_id");
    airflow.stubFor(
        get(urlPathMatching("/api/v2/dags/[^/]+/dagRuns/" + airflowRunId))
            .atPriority(1)
            .willReturn(okJson("{\"state\":\"success\"}")));

    ApiResponse succeeded =
        Await.until(
            () -> api.get(deployment + "/runs/" + queued.text("run_id")),
            r -> "succeeded".equals(r.text("status")),
            WAIT);

    assertThat(succeeded.text("finished_at")).isNotNull();
    ApiResponse agreeing = callback(deployment, airflowRunId, "succeeded");
    assertThat(agreeing.status()).isEqualTo(200);
    ApiResponse disagreeing = callback(deployment, airflowRunId, "failed");
    assertThat(disagreeing.status()).isEqualTo(409);
    assertThat(disagreeing.text("error"))
        .contains("ended as succeeded by the reconcile loop", "(failed)");
  }

  private ApiResponse writeback(String jobId, String status) {
    return api.put("/api/automl/train/jobs/" + jobId + "/status", Map.of("status", status));
  }

  private ApiResponse callback(String deployment, String airflowRunId, String status) {
    return api.post(deployment + "/runs", Map.of("airflow_run_id", airflowRunId, "status", status));
  }
}
