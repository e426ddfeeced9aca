package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.Python;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import java.time.Duration;
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
 * {@code /api/jobs} over real HTTP, every answer validated against the contract, with WireMock as
 * Airflow: creation (a dataeng job's DAG rendered), the list as a bounded JSON array, the status
 * state machine with its timestamps, triggers through the outbox, soft delete. Runs on H2 and on
 * PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobApiContract {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final WireMockAirflow airflow = new WireMockAirflow();
  private TestServer server;
  private ApiClient api;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    airflow.start();
    server = TestServer.start(databaseConfig(), Optional.of(airflow.config()));
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
    airflow.stop();
  }

  @BeforeEach
  void stubs() {
    airflow.resetToTokenPauseAndTrigger();
  }

  @Test
  void aDataengJobIsRenderedIntoADagThatRunsTheRunnersSqlInsideTheWrapper() {
    String sql = "SELECT region, SUM(amount) AS total FROM lake.sales.orders GROUP BY region";
    ApiResponse created = api.post("/api/jobs", dataeng("daily-totals", sql));

    assertThat(created.status()).isEqualTo(201);
    JsonNode job = created.body();
    assertThat(job.get("status").asText()).isEqualTo("new");
    assertThat(job.get("job_type").asText()).isEqualTo("airflow.dataeng");
    assertThat(job.get("owner_id").asText()).isEqualTo("platform");
    assertThat(job.get("properties_json").get("sql").asText()).isEqualTo(sql);
    assertThat(job.get("is_deleted").asBoolean()).isFalse();
    assertThat(job.get("dag_id").asText()).isEqualTo("modelplane-job-" + job.get("id").asText());
    assertThat(created.header("Location")).endsWith("/api/jobs/" + job.get("id").asText());
    String dag = job.get("rendered_dag").asText();
    Python.assertParses(dag);
    assertThat(dag)
        .contains("\"wrap\", \"--job\", JOB[\"job_id\"]", "\"sql\", \"--job-json\"")
        .contains("SCHEDULE = \"@daily\"")
        .doesNotContain("\nSELECT");
    assertThat(server.dagDir().resolve(job.get("dag_id").asText() + ".py")).exists();
  }

  @Test
  void theListIsAJsonArrayNewestFirstBoundedByLimitAndOffset() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(api.post("/api/jobs", other("listed-" + i, null)).text("id"));
    }

    ApiResponse firstTwo = api.get("/api/jobs?job_type=airflow.ingest&limit=2");
    ApiResponse third = api.get("/api/jobs?job_type=airflow.ingest&limit=2&offset=2");

    assertThat(firstTwo.status()).isEqualTo(200);
    assertThat(firstTwo.body().isArray()).isTrue();
    assertThat(firstTwo.body()).hasSize(2);
    assertThat(firstTwo.body().get(0).get("id").asText()).isEqualTo(ids.get(2));
    assertThat(firstTwo.body().get(0).path("rendered_dag").isNull()).isTrue();
    assertThat(third.body().get(0).get("id").asText()).isNotIn(ids.subList(1, 3));
    assertThat(api.get("/api/jobs?limit=501").status()).isEqualTo(422);
  }

  @Test
  void afterTheIdOfAJobTheListReadsOnFromIt() {
    for (int i = 0; i < 3; i++) {
      api.post("/api/jobs", other("after-" + i, null));
    }
    List<String> all = ids(api.get("/api/jobs?job_type=airflow.ingest&limit=3"));

    ApiResponse next = api.get("/api/jobs?job_type=airflow.ingest&limit=2&after=" + all.get(0));
    ApiResponse skipped =
        api.get("/api/jobs?job_type=airflow.ingest&limit=1&offset=1&after=" + all.get(0));

    assertThat(next.status()).isEqualTo(200);
    assertThat(ids(next)).containsExactly(all.get(1), all.get(2));
    assertThat(ids(skipped)).containsExactly(all.get(2));
    ApiResponse unknown = api.get("/api/jobs?after=" + UUID.randomUUID());
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.body().toString()).contains("after");
    assertThat(api.get("/api/jobs?after=not-a-uuid").status()).isIn(400, 422);
  }

  @Test
  void writebacksFollowTheStateMachineAndStampTheRunTimes() {
    String id = api.post("/api/jobs", other("writebacks", null)).text("id");

    ApiResponse running = status(id, "running", null);
    assertThat(running.status()).isEqualTo(200);
    assertThat(running.text("status")).isEqualTo("running");
    assertThat(running.body().get("last_started_at").isNull()).isFalse();
    assertThat(status(id, "running", null).status()).isEqualTo(200); // idempotent repeat
    ApiResponse completed = status(id, "completed", "42 rows");
    assertThat(completed.text("status")).isEqualTo("completed");
    assertThat(completed.text("status_message")).isEqualTo("42 rows");
    assertThat(completed.body().get("last_completed_at").isNull()).isFalse();
    ApiResponse backToNew = status(id, "new", null);
    assertThat(backToNew.status()).isEqualTo(409);
    assertThat(backToNew.text("error")).contains("is completed", "cannot move to new");
    assertThat(status(id, "pending", null).text("status")).isEqualTo("pending");
    ApiResponse failed = status(id, "failed", "boom");
    assertThat(failed.body().get("last_failed_at").isNull()).isFalse();
    assertThat(status(id, "finished", null).status()).isEqualTo(422);
    assertThat(status(UUID.randomUUID().toString(), "running", null).status()).isEqualTo(404);
  }

  @Test
  void aDataengJobsSqlMustBeOneSelectReadingOnlyItsSource() {
    assertInvalidSql("SELECT 1; DROP TABLE lake.sales.orders", "';' is not allowed");
    assertInvalidSql("DELETE FROM lake.sales.orders", "must be a SELECT");
    assertInvalidSql("SELECT * FROM lake.hr.salaries", "only the job's source table");
    assertInvalidSql(
        "SELECT reflect('java.lang.Runtime', 'exit') FROM lake.sales.orders", "reflect");
    assertInvalidSql("SELECT * FROM lake.sales.orders -- hi", "comments");
    assertInvalidSql("SELEC oops", "not a valid SQL");
    Map<String, Object> noSql = dataeng("no-sql", "SELECT 1");
    noSql.remove("properties_json");
    ApiResponse missing = api.post("/api/jobs", noSql);
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"body\",\"properties_json\",\"sql\"]");
    Map<String, Object> badTable = dataeng("bad-table", "SELECT * FROM x.y");
    badTable.put("source", "x.y; rm -rf /");
    assertThat(api.post("/api/jobs", badTable).status()).isEqualTo(422);
  }

  @Test
  void aTriggerGoesThroughTheOutboxToTheJobsDagAndAStatusWritebackEndsTheRun() {
    JsonNode job =
        api.post("/api/jobs", dataeng("triggered", "SELECT * FROM lake.sales.orders")).body();
    String id = job.get("id").asText();

    ApiResponse triggered = api.post("/api/jobs/" + id + "/trigger", null);

    assertThat(triggered.status()).isEqualTo(200);
    assertThat(triggered.text("status")).isEqualTo("pending");
    assertThat(triggered.text("airflow_dag_run_id")).isEqualTo("modelplane__" + id + "__1");
    assertThat(api.post("/api/jobs/" + id + "/trigger", null).status()).isEqualTo(409);
    Await.until(
        () ->
            airflow.findAll(
                postRequestedFor(
                    urlEqualTo("/api/v2/dags/" + job.get("dag_id").asText() + "/dagRuns"))),
        calls -> !calls.isEmpty(),
        WAIT);
    airflow.verify(
        postRequestedFor(urlEqualTo("/api/v2/dags/" + job.get("dag_id").asText() + "/dagRuns"))
            .withRequestBody(
                equalToJson(
                    "{\"dag_run_id\":\"modelplane__"
                        + id
                        + "__1\",\"conf\":{\"job_id\":\""
                        + id
                        + "\",\"attempt\":1}}",
                    true,
                    true)));
    assertThat(status(id, "running", null).text("status")).isEqualTo("running");
    assertThat(status(id, "completed", null).text("status")).isEqualTo("completed");
    assertThat(api.post("/api/jobs/" + id + "/trigger", null).text("attempt")).isEqualTo("2");
  }

  @Test
  void anotherTypeTriggersTheExistingDagItNamesAndWithoutOneTheTriggerIsRefused() {
    String named = api.post("/api/jobs", other("named", "ingest_orders")).text("id");
    String unnamed = api.post("/api/jobs", other("unnamed", null)).text("id");

    assertThat(api.post("/api/jobs/" + named + "/trigger", null).text("status"))
        .isEqualTo("pending");
    Await.until(
        () -> airflow.findAll(postRequestedFor(urlEqualTo("/api/v2/dags/ingest_orders/dagRuns"))),
        calls -> !calls.isEmpty(),
        WAIT);
    ApiResponse refused = api.post("/api/jobs/" + unnamed + "/trigger", null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.rawBody()).contains("dag_id");
  }

  @Test
  void aTriggerAirflowRefusesForGoodFailsTheRunWithTheReason() {
    airflow.stubFor(
        post(urlEqualTo("/api/v2/dags/refusing_dag/dagRuns"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"bad conf\"}")));
    String id = api.post("/api/jobs", other("refused", "refusing_dag")).text("id");

    api.post("/api/jobs/" + id + "/trigger", null);

    ApiResponse failed =
        Await.until(() -> api.get("/api/jobs/" + id), r -> "failed".equals(r.text("status")), WAIT);
    assertThat(failed.text("status_message")).startsWith("Airflow did not accept the trigger");
  }

  @Test
  void aDeletedJobStaysReadableLeavesTheListAndRefusesWritebacks() {
    JsonNode job =
        api.post("/api/jobs", dataeng("deleted", "SELECT * FROM lake.sales.orders")).body();
    String id = job.get("id").asText();

    assertThat(api.delete("/api/jobs/" + id).status()).isEqualTo(204);

    ApiResponse read = api.get("/api/jobs/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("is_deleted").asBoolean()).isTrue();
    assertThat(read.body().get("deleted_at").isNull()).isFalse();
    assertThat(ids(api.get("/api/jobs?limit=500"))).doesNotContain(id);
    assertThat(ids(api.get("/api/jobs?limit=500&include_deleted=true"))).contains(id);
    assertThat(status(id, "running", null).status()).isEqualTo(409);
    assertThat(api.post("/api/jobs/" + id + "/trigger", null).status()).isEqualTo(409);
    assertThat(api.delete("/api/jobs/" + id).status()).isEqualTo(204);
    assertThat(server.dagDir().resolve(job.get("dag_id").asText() + ".py")).doesNotExist();
    assertThat(api.delete("/api/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  private void assertInvalidSql(String sql, String message) {
    ApiResponse response = api.post("/api/jobs", dataeng("invalid", sql));
    assertThat(response.status()).as(sql).isEqualTo(422);
    assertThat(response.rawBody()).as(sql).contains(message);
  }

  private ApiResponse status(String id, String status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("status_message", message);
    return api.put("/api/jobs/" + id + "/status", body);
  }

  private static List<String> ids(ApiResponse list) {
    List<String> ids = new ArrayList<>();
    list.body().forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  private static Map<String, Object> dataeng(String name, String sql) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_type", "airflow.dataeng");
    body.put("job_name", name);
    body.put("source", "lake.sales.orders");
    body.put("destination", "lake.sales.totals");
    body.put("properties_json", new LinkedHashMap<>(Map.of("sql", sql)));
    body.put("schedule", "@daily");
    return body;
  }

  private static Map<String, Object> other(String name, String dagId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_type", "airflow.ingest");
    body.put("job_name", name);
    body.put("properties_json", dagId == null ? Map.of("k", 1) : Map.of("dag_id", dagId));
    return body;
  }
}
