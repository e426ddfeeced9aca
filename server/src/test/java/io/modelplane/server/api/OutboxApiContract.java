package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The typed outbox and the order of actions on Airflow, over real HTTP with WireMock as Airflow and
 * the server's own database read with SQL: every failed attempt counts, a task that keeps failing
 * ends with its reason on the deployment, an expired lease is reclaimed and counted, archive
 * pauses, stops the runs and then deletes (a 409 while task instances run is retried), a deleted
 * training job's DAG leaves Airflow, and a succeeded run cannot be cancelled. The outbox of the
 * test server tries 5 times with 20 ms backoff. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutboxApiContract {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final WireMockAirflow airflow = new WireMockAirflow();
  private TestServer server;
  private ApiClient api;
  private Jdbi db;
  private String model;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    airflow.start();
    DatabaseConfig database = databaseConfig();
    server = TestServer.start(database, Optional.of(airflow.config()));
    api = server.client();
    db = Jdbi.create(database.url(), database.user(), database.password());
  }

  @AfterAll
  void stop() {
    server.close();
    airflow.stop();
  }

  @BeforeEach
  void stubs() {
    model = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
    airflow.resetToTokenPauseAndTrigger().answerDagRunUpdates().answerDagDeletes();
  }

  @Test
  void everyFailedAttemptCountsAndATaskThatKeepsFailingEndsWithItsReasonOnTheDeployment() {
    JsonNode created = create("pause-fails");
    String dagId = created.get("dag_id").asText();
    airflow.stubFor(
        patch(urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"scheduler on fire\"}")));

    assertThat(api.post(deployment("pause-fails") + "/stop", null).status()).isEqualTo(200);

    Map<String, Object> task = awaitTask(created, "pause_dag", "failed");
    assertThat(((Number) task.get("attempts")).intValue()).isEqualTo(5);
    airflow.verify(
        5,
        patchRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
            .withRequestBody(equalToJson("{\"is_paused\":true}")));
    assertThat(api.get(deployment("pause-fails")).text("status")).isEqualTo("stopped");
    assertThat(awaitErrorMessage("pause-fails"))
        .startsWith("Airflow did not pause the DAG")
        .contains("HTTP 500");
    assertThat(lastEvent("pause-fails").get("kind").asText()).isEqualTo("outbox");
  }

  @Test
  void anUnreadableTaskEndsAtOnceAfterOneCountedAttemptAndTheDeploymentSaysWhy() {
    JsonNode created = create("unreadable");
    insertTask(created, "unpause_dag", "{\"dag_id\": [1, 2]}", 0, null);

    Map<String, Object> task = awaitTask(created, "unpause_dag", "failed");

    assertThat(((Number) task.get("attempts")).intValue()).isEqualTo(1);
    assertThat((String) task.get("last_error")).startsWith("unreadable task");
    assertThat(awaitErrorMessage("unreadable"))
        .contains("Airflow did not unpause the DAG", "unreadable task");
  }

  @Test
  void aDeploymentTaskWrittenBeforePayloadsWereTypedIsStillPerformed() {
    JsonNode created = create("legacy");
    String dagId = created.get("dag_id").asText();
    insertTask(created, "pause_dag", null, 0, null);

    Map<String, Object> task = awaitTask(created, "pause_dag", "done");

    assertThat(((Number) task.get("attempts")).intValue()).isEqualTo(1);
    airflow.verify(
        1,
        patchRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
            .withRequestBody(equalToJson("{\"is_paused\":true}")));
  }

  @Test
  void anExpiredLeaseIsReclaimedAndCountedAndTheLastOneEndsTheTask() {
    JsonNode created = create("leases");
    String dagId = created.get("dag_id").asText();
    // A worker died during attempt 2 of one task, and during the last allowed attempt of another.
    insertTask(created, "pause_dag", "{\"dag_id\":\"" + dagId + "\"}", 2, "leased: attempt 2");
    Map<String, Object> reclaimed = awaitTask(created, "pause_dag", "done");
    assertThat(((Number) reclaimed.get("attempts")).intValue()).isEqualTo(3);

    insertTask(created, "unpause_dag", "{\"dag_id\":\"" + dagId + "\"}", 5, "leased: attempt 5");
    Map<String, Object> ended = awaitTask(created, "unpause_dag", "failed");
    assertThat(((Number) ended.get("attempts")).intValue()).isEqualTo(5);
    assertThat((String) ended.get("last_error")).contains("lease expired");
    assertThat(awaitErrorMessage("leases"))
        .contains("Airflow did not unpause the DAG", "lease expired");
    // The only unpause is the publish's: the abandoned task was not tried again.
    airflow.verify(
        1,
        patchRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
            .withRequestBody(equalToJson("{\"is_paused\":false}")));
  }

  @Test
  void archivePausesStopsTheRunsThenDeletesRetryingA409WhileTasksRun() {
    JsonNode created = create("archive-order");
    String dagId = created.get("dag_id").asText();
    String runId = "scheduled__2026-11-30T03:00:00+00:00";
    assertThat(
            api.post(
                    deployment("archive-order") + "/runs",
                    Map.of("airflow_run_id", runId, "status", "running"))
                .status())
        .isEqualTo(200);
    // Airflow refuses the delete while task instances run, then accepts it.
    airflow.stubFor(
        delete(urlEqualTo("/api/v2/dags/" + dagId))
            .atPriority(1)
            .inScenario("delete")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"detail\":{\"reason\":\"Task instances of this DAG are running\"}}"))
            .willSetStateTo("stopped"));
    airflow.stubFor(
        delete(urlEqualTo("/api/v2/dags/" + dagId))
            .atPriority(1)
            .inScenario("delete")
            .whenScenarioStateIs("stopped")
            .willReturn(aResponse().withStatus(204)));

    ApiResponse archived = api.delete(deployment("archive-order"));

    assertThat(archived.status()).isEqualTo(200);
    Await.until(
        () -> airflow.findAll(deleteRequestedFor(urlEqualTo("/api/v2/dags/" + dagId))).size(),
        n -> n == 2,
        WAIT);
    List<String> calls =
        airflow.getAllServeEvents().stream()
            .map(e -> e.getRequest())
            .filter(r -> !r.getUrl().startsWith("/auth"))
            .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
            .map(r -> r.getMethod() + " " + r.getUrl() + " " + r.getBodyAsString())
            .toList();
    int pause =
        indexOf(
            calls, "PATCH /api/v2/dags/" + dagId + "?update_mask=is_paused {\"is_paused\":true}");
    int stopRun = indexOf(calls, "PATCH /api/v2/dags/" + dagId + "/dagRuns/");
    int firstDelete = indexOf(calls, "DELETE /api/v2/dags/" + dagId + " ");
    assertThat(pause).isGreaterThanOrEqualTo(0).isLessThan(stopRun);
    assertThat(stopRun).isLessThan(firstDelete);
    // The run is failed in the database, and a second delete waits for a late DAG folder copy.
    Map<String, Object> run =
        db.withHandle(
            h ->
                h.createQuery(
                        "SELECT status, error_message FROM deployment_runs WHERE airflow_run_id = :id AND deployment_id = :d")
                    .bind("id", runId)
                    .bind("d", UUID.fromString(created.get("deployment_id").asText()))
                    .mapToMap()
                    .one());
    assertThat(run.get("status")).isEqualTo("failed");
    assertThat(run.get("error_message")).isEqualTo("deployment archived");
    // The worker saves "done" after Airflow's 204 reached it: wait for the save, not the request.
    List<Map<String, Object>> deletes =
        Await.until(
            () -> tasks(created, "delete_dag"),
            list -> list.size() == 2 && "done".equals(list.get(0).get("state")),
            WAIT);
    assertThat(deletes).hasSize(2);
    assertThat(deletes.get(0).get("state")).isEqualTo("done");
    assertThat(((Number) deletes.get(0).get("attempts")).intValue()).isEqualTo(2);
    assertThat(deletes.get(1).get("state")).isEqualTo("pending");
    assertThat((String) deletes.get(1).get("payload")).contains("\"recheck\":false");
  }

  @Test
  void cancellingARunThatAlreadySucceededIs409AndTheRunStaysSucceeded() {
    create("cancel-succeeded");
    String runs = deployment("cancel-succeeded") + "/runs";
    ApiResponse run =
        api.post(
            runs, Map.of("airflow_run_id", "manual__1", "status", "succeeded", "rows_scored", 7));
    assertThat(run.status()).isEqualTo(200);
    String runId = run.text("run_id");

    ApiResponse cancelled = api.post(runs + "/" + runId + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.rawBody()).isEqualTo(409);
    assertThat(cancelled.text("error")).contains("succeeded");
    assertThat(api.get(runs + "/" + runId).text("status")).isEqualTo("succeeded");
    airflow.verify(0, patchRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns/.*")));
  }

  @Test
  void aStatusChangeWritesOneTimeOnTheRowAndOnItsEvent() {
    create("one-time");

    ApiResponse stopped = api.post(deployment("one-time") + "/stop", null);

    Instant stoppedAt = OffsetDateTime.parse(stopped.text("stopped_at")).toInstant();
    assertThat(OffsetDateTime.parse(stopped.text("updated_at")).toInstant()).isEqualTo(stoppedAt);
    JsonNode event = lastEvent("one-time");
    assertThat(event.get("to_status").asText()).isEqualTo("stopped");
    assertThat(OffsetDateTime.parse(event.get("created_at").asText()).toInstant())
        .isEqualTo(stoppedAt);
  }

  @Test
  void deletingATrainingJobDeletesItsDagInAirflow() {
    Map<String, Object> job = SampleRequests.regressionJob(false);
    String jobId = api.post("/api/automl/train/jobs", job).text("job_id");
    String dagId = "modelplane-training-" + jobId;

    assertThat(api.delete("/api/automl/train/jobs/" + jobId).status()).isIn(200, 204);

    Await.until(
        () -> airflow.findAll(deleteRequestedFor(urlEqualTo("/api/v2/dags/" + dagId))).size(),
        n -> n == 1,
        WAIT);
    airflow.verify(
        1,
        patchRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
            .withRequestBody(equalToJson("{\"is_paused\":true}")));
  }

  // ------------------------------------------------------------------ helpers

  private static int indexOf(List<String> calls, String prefix) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no call " + prefix + " in " + calls);
  }

  private JsonNode create(String name) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("model", Map.of("model_name", model, "model_version", "3"));
    request.put("source", Map.of("schema", "crm", "table", "customers"));
    request.put("target", Map.of("schema", "crm", "table", "churn_predictions"));
    request.put("entity_columns", List.of("customer_id"));
    request.put("domain", "crm");
    request.put("owner", "ana");
    request.put("schedule", "0 3 * * *");
    ApiResponse created = api.post("/api/models/" + model + "/deployments", request);
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    return Await.until(
        () -> api.get(deployment(name)).body(),
        d -> "active".equals(d.get("status").asText()),
        WAIT);
  }

  private String deployment(String name) {
    return "/api/models/" + model + "/deployments/" + name;
  }

  /** The outcome is written right after the task ends. */
  private String awaitErrorMessage(String name) {
    return Await.until(() -> api.get(deployment(name)).text("error_message"), m -> m != null, WAIT);
  }

  private JsonNode lastEvent(String name) {
    JsonNode items = api.get(deployment(name) + "/events").body().get("items");
    return items.get(items.size() - 1);
  }

  private void insertTask(
      JsonNode deployment, String kind, String payload, int attempts, String lastError) {
    Instant past = Instant.now().minusSeconds(5);
    db.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO outbox_tasks (kind, deployment_id, payload, attempts,"
                        + " next_attempt_at, last_error, state, created_at)"
                        + " VALUES (:kind, :d, :payload, :attempts, :at, :error, 'pending', :at)")
                .bind("kind", kind)
                .bind("d", UUID.fromString(deployment.get("deployment_id").asText()))
                .bind("payload", payload)
                .bind("attempts", attempts)
                .bind("at", OffsetDateTime.ofInstant(past, ZoneOffset.UTC))
                .bind("error", lastError)
                .execute());
  }

  private List<Map<String, Object>> tasks(JsonNode deployment, String kind) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM outbox_tasks WHERE deployment_id = :d AND kind = :kind"
                        + " ORDER BY task_id")
                .bind("d", UUID.fromString(deployment.get("deployment_id").asText()))
                .bind("kind", kind)
                .mapToMap()
                .list());
  }

  private Map<String, Object> awaitTask(JsonNode deployment, String kind, String state) {
    return Await.until(
            () -> tasks(deployment, kind),
            list -> !list.isEmpty() && state.equals(list.get(list.size() - 1).get("state")),
            WAIT)
        .stream()
        .reduce((a, b) -> b)
        .orElseThrow();
  }
}
