package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.Python;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import io.modelplane.server.support.WireMockMlflow;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Batch deployments over real HTTP, with WireMock standing in for Airflow and MLflow; every
 * response is validated against openapi.yaml. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeploymentApiContract {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WireMockAirflow airflow = new WireMockAirflow();
  private final WireMockMlflow mlflow = new WireMockMlflow();
  private TestServer server;
  private ApiClient api;
  private String model;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    airflow.start();
    mlflow.start();
    server =
        TestServer.start(
            databaseConfig(), Optional.of(airflow.config()), Optional.of(mlflow.config()));
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
    airflow.stop();
    mlflow.stop();
  }

  @BeforeEach
  void stubs() {
    model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
    airflow.resetToTokenPauseAndTrigger().answerDagRunUpdates().answerDagDeletes();
    mlflow.resetToNoVersions().withVersions(model, "3", "4");
    aliasPointsAt("3");
  }

  @Test
  void theSeedRequestCreatesAnActiveDeploymentWithEverySeedField() throws Exception {
    ApiResponse created = api.post(deployments(), seedRequest("nightly-churn"));

    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    List<String> fields = new ArrayList<>();
    created.body().fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .contains(
            "deployment_id",
            "name",
            "type",
            "status",
            "domain",
            "owner",
            "model",
            "created_at",
            "updated_at",
            "resolved_model_version",
            "dag_id",
            "dag_s3_uri",
            "schedule",
            "service_url",
            "replica_count",
            "ready_replicas",
            "allowed_roles",
            "error_message",
            "stopped_at");
    assertThat(created.body().has("last_run")).isFalse(); // no run yet
    assertThat(created.text("type")).isEqualTo("batch");
    assertThat(created.body().get("model").get("model_name").asText()).isEqualTo(model);
    assertThat(created.text("resolved_model_version")).isEqualTo("3");
    assertThat(created.header("Location")).endsWith(deployments() + "/nightly-churn");
    assertThat(created.header("ETag")).isNotBlank();
    String dagId = created.text("dag_id");
    Path dagFile = Path.of(java.net.URI.create(created.text("dag_s3_uri")));
    assertThat(dagFile).exists();
    String dag = Files.readString(dagFile);
    assertThat(dag).isEqualTo(created.text("rendered_dag")).contains("run-status", "wrap");
    // The scorer is the runner jar's `score` unless MODELPLANE_SCORER_COMMAND overrides it.
    assertThat(dag)
        .contains(
            "os.environ.get(\"MODELPLANE_RUNNER_JAR\", \"/opt/modelplane/modelplane-runner.jar\")",
            "return [java, \"-jar\", jar, \"score\"]",
            "os.environ.get(\"MODELPLANE_SCORER_COMMAND\")",
            "\"--logical-date\", _logical_date(context)")
        .doesNotContain("modelplane_scoring");
    Python.assertParses(dag);

    JsonNode active = awaitStatus("nightly-churn", "active");
    assertThat(active.get("error_message").isNull()).isTrue();
    airflow.verify(
        patchRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
            .withRequestBody(equalToJson("{\"is_paused\":false}")));
    List<String> statuses = new ArrayList<>();
    api.get(deployment("nightly-churn") + "/events")
        .body()
        .get("items")
        .forEach(e -> statuses.add(e.get("to_status").asText()));
    assertThat(statuses).containsExactly("pending", "deploying", "active");
  }

  @Test
  void theSeedCallbackCreatesARunAndFollowsItToSucceeded() {
    create("callbacks");
    Map<String, Object> running =
        Map.of("airflow_run_id", "scheduled__2026-11-23T03:00:00+00:00", "status", "running");

    ApiResponse first = api.post(deployment("callbacks") + "/runs", running);
    ApiResponse second =
        api.post(
            deployment("callbacks") + "/runs",
            Map.of(
                "airflow_run_id", "scheduled__2026-11-23T03:00:00+00:00",
                "status", "succeeded",
                "rows_scored", 1234));

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.text("run_id")).isEqualTo(first.text("run_id"));
    assertThat(second.text("status")).isEqualTo("succeeded");
    assertThat(second.body().get("rows_scored").asLong()).isEqualTo(1234);
    assertThat(second.text("started_at")).isEqualTo(first.text("started_at")).isNotNull();
    assertThat(second.text("finished_at")).isNotNull();
    assertThat(second.text("model_version")).isEqualTo("3");
    JsonNode lastRun = api.get(deployment("callbacks")).body().get("last_run");
    assertThat(lastRun.get("run_id").asText()).isEqualTo(first.text("run_id"));
    assertThat(lastRun.get("rows_scored").asLong()).isEqualTo(1234);

    // The first sight and each move are in the feed (on PostgreSQL the platform's callback is
    // one statement).
    List<JsonNode> moves = runEvents(first.text("run_id"), 2);
    assertThat(moves.get(0).get("from_status").isNull()).isTrue(); // first seen
    assertThat(moves.get(0).get("to_status").asText()).isEqualTo("running");
    assertThat(moves.get(1).get("from_status").asText()).isEqualTo("running");
    assertThat(moves.get(1).get("to_status").asText()).isEqualTo("succeeded");
    assertThat(moves.get(1).get("rows_scored").asLong()).isEqualTo(1234);
    assertThat(moves.get(1).get("airflow_run_id").asText())
        .isEqualTo("scheduled__2026-11-23T03:00:00+00:00");

    ApiResponse again = api.post(deployment("callbacks") + "/runs", running);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.text("error")).contains("is succeeded");
    // no status moves back to queued (an empty set of sources, in one statement on PostgreSQL)
    ApiResponse requeued =
        api.post(
            deployment("callbacks") + "/runs",
            Map.of("airflow_run_id", "scheduled__2026-11-23T03:00:00+00:00", "status", "queued"));
    assertThat(requeued.status()).as(requeued.rawBody()).isEqualTo(409);

    api.post(
        deployment("callbacks") + "/runs",
        Map.of("airflow_run_id", "manual__2", "status", "running"));
    JsonNode runs = api.get(deployment("callbacks") + "/runs").body().get("items");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).get("airflow_run_id").asText()).isEqualTo("manual__2");
    JsonNode succeeded =
        api.get(deployment("callbacks") + "/runs?status=succeeded").body().get("items");
    assertThat(succeeded).hasSize(1);
    assertThat(api.get(deployment("callbacks") + "/runs/" + first.text("run_id")).text("status"))
        .isEqualTo("succeeded");
  }

  @Test
  void aCallbackOfAnUnknownDeploymentIs404BeforeAnythingWrongWithItsBody() {
    create("known");
    String unknown = deployments() + "/nowhere/runs";
    Map<String, Object> valid = Map.of("airflow_run_id", "manual__1", "status", "running");
    Map<String, Object> invalid = Map.of("airflow_run_id", "manual__1", "status", "bogus");

    for (Object body : List.of(valid, invalid, "{\"airflow_run_id\": ", Map.of())) {
      ApiResponse response = api.post(unknown, body);
      assertThat(response.status()).as(response.rawBody()).isEqualTo(404);
      assertThat(response.text("error"))
          .isEqualTo("Deployment nowhere of model " + model + " not found");
    }
    assertThat(api.post(deployment("known") + "/runs", invalid).status()).isEqualTo(422);
    assertThat(api.post(deployment("known") + "/runs", Map.of()).status()).isEqualTo(422);
    assertThat(api.post(deployment("known") + "/runs", valid).status()).isEqualTo(200);
  }

  @Test
  void invalidDeploymentsAre422DuplicatesAre409AndUnknownDeploymentsAre404() {
    create("taken");
    assertThat(api.post(deployments(), seedRequest("taken")).status()).isEqualTo(409);

    assertProblem(
        api.post(deployments(), with(seedRequest("Not_DNS"), "name", "Not_DNS")),
        "[\"body\",\"name\"]");
    Map<String, Object> both = seedRequest("both");
    both.put("model", Map.of("model_name", model, "model_version", "3", "model_alias", "champion"));
    assertProblem(api.post(deployments(), both), "[\"body\",\"model\"]");
    for (String filter :
        List.of(
            "region = 'EU'; DROP TABLE t",
            "1=1; DROP TABLE t",
            "a = 1 -- x",
            "id IN (SELECT id FROM other)",
            "a = 1 /* x */",
            "pg_sleep(10) = 1",
            "amount")) {
      Map<String, Object> hostile = seedRequest("hostile");
      ((Map<String, Object>) hostile.get("source")).put("filter_sql", filter);
      assertProblem(api.post(deployments(), hostile), "[\"body\",\"source\",\"filter_sql\"]");
    }
    Map<String, Object> badTable = seedRequest("bad-table");
    ((Map<String, Object>) badTable.get("target")).put("table", "predictions; DROP TABLE x");
    assertProblem(api.post(deployments(), badTable), "[\"body\",\"target\",\"table\"]");
    assertProblem(
        api.post(deployments(), with(seedRequest("bad-cron"), "schedule", "every day")),
        "[\"body\",\"schedule\"]");
    assertProblem(
        api.post(deployments(), with(seedRequest("online"), "type", "online")),
        "[\"body\",\"type\"]");
    assertProblem(
        api.post(deployments(), with(seedRequest("no-entities"), "entity_columns", List.of())),
        "[\"body\",\"entity_columns\"]");
    Map<String, Object> unknownVersion = seedRequest("unknown-version");
    unknownVersion.put("model", Map.of("model_name", model, "model_version", "99"));
    assertProblem(
        api.post(deployments(), unknownVersion), "[\"body\",\"model\",\"model_version\"]");

    ApiResponse unknown =
        api.post(
            "/api/models/" + model + "/deployments/nobody/runs",
            Map.of("airflow_run_id", "manual__1", "status", "running"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text("error")).contains("not found");
    assertThat(api.get(deployments()).body().get("items")).hasSize(1);
  }

  @Test
  void stopPausesTheDagArchiveRemovesItAndTheNameIsFreeAgain() {
    JsonNode created = create("lifecycle");
    String dagId = created.get("dag_id").asText();
    Path dagFile = Path.of(java.net.URI.create(created.get("dag_s3_uri").asText()));

    ApiResponse stopped = api.post(deployment("lifecycle") + "/stop", null);
    assertThat(stopped.status()).isEqualTo(200);
    assertThat(stopped.text("status")).isEqualTo("stopped");
    assertThat(stopped.text("stopped_at")).isNotNull();
    Await.until(
        () ->
            airflow
                .findAll(
                    patchRequestedFor(
                            urlEqualTo("/api/v2/dags/" + dagId + "?update_mask=is_paused"))
                        .withRequestBody(equalToJson("{\"is_paused\":true}")))
                .size(),
        n -> n == 1,
        WAIT);
    assertThat(api.post(deployment("lifecycle") + "/trigger", null).status()).isEqualTo(409);

    ApiResponse started = api.post(deployment("lifecycle") + "/start", null);
    assertThat(started.text("status")).isEqualTo("active");
    assertThat(started.text("stopped_at")).isNull();

    ApiResponse archived = api.delete(deployment("lifecycle"));
    assertThat(archived.status()).isEqualTo(200);
    assertThat(archived.text("status")).isEqualTo("archived");
    assertThat(dagFile).doesNotExist();
    Await.until(
        () -> airflow.findAll(deleteRequestedFor(urlEqualTo("/api/v2/dags/" + dagId))).size(),
        n -> n == 1,
        WAIT);
    assertThat(api.get(deployment("lifecycle")).status()).isEqualTo(404);
    assertThat(api.get(deployments() + "?status=archived").body().get("items")).hasSize(1);

    ApiResponse again = api.post(deployments(), seedRequest("lifecycle"));
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.text("deployment_id")).isNotEqualTo(created.get("deployment_id").asText());
  }

  @Test
  void aTriggerReplayedWithTheSameIdempotencyKeyStartsOneAirflowRun() {
    create("manual");
    Map<String, Object> body = Map.of("snapshot_id", 42, "tags", Map.of("reason", "backfill"));
    Map<String, String> key = Map.of("Idempotency-Key", "retry-" + UUID.randomUUID());

    ApiResponse first = api.send("POST", deployment("manual") + "/trigger", body, key);
    ApiResponse replay = api.send("POST", deployment("manual") + "/trigger", body, key);
    ApiResponse different =
        api.send("POST", deployment("manual") + "/trigger", Map.of("snapshot_id", 43), key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(first.text("status")).isEqualTo("queued");
    assertThat(first.body().get("snapshot_id").asLong()).isEqualTo(42);
    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.text("run_id")).isEqualTo(first.text("run_id"));
    assertThat(different.status()).isEqualTo(422);
    assertThat(different.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"header\",\"Idempotency-Key\"]");
    String dagRunId = first.text("airflow_run_id");
    List<JsonNode> queued = runEvents(first.text("run_id"), 1);
    assertThat(queued.get(0).get("from_status").isNull()).isTrue();
    assertThat(queued.get(0).get("to_status").asText()).isEqualTo("queued");
    Await.until(
        () ->
            airflow.findAll(postRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns"))).size(),
        n -> n >= 1,
        WAIT);
    airflow.verify(
        1,
        postRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns"))
            .withRequestBody(
                equalToJson(
                    "{\"dag_run_id\":\""
                        + dagRunId
                        + "\",\"logical_date\":null,\"conf\":{\"run_id\":\""
                        + first.text("run_id")
                        + "\",\"snapshot_id\":42,\"tags\":{\"reason\":\"backfill\"}}}")));

    ApiResponse cancelled =
        api.post(deployment("manual") + "/runs/" + first.text("run_id") + "/cancel", null);
    assertThat(cancelled.text("status")).isEqualTo("failed");
    assertThat(cancelled.text("error_message")).contains("cancelled");
    Await.until(
        () ->
            airflow
                .findAll(
                    patchRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns/" + dagRunId)))
                .size(),
        n -> n == 1,
        WAIT);
  }

  @Test
  void whenTheAliasMovesBetweenRunsTheNextRunUsesTheNewVersion() {
    Map<String, Object> request = seedRequest("follow");
    request.put("model", Map.of("model_name", model, "model_alias", "champion"));
    ApiResponse created = api.post(deployments(), request);
    assertThat(created.text("resolved_model_version")).isEqualTo("3");
    awaitStatus("follow", "active");

    ApiResponse firstRun = api.post(deployment("follow") + "/trigger", null);
    aliasPointsAt("4");
    ApiResponse secondRun =
        api.post(
            deployment("follow") + "/runs",
            Map.of("airflow_run_id", "scheduled__next", "status", "running"));

    assertThat(firstRun.text("model_version")).isEqualTo("3");
    assertThat(secondRun.text("model_version")).isEqualTo("4");
    ApiResponse after = api.get(deployment("follow"));
    assertThat(after.text("resolved_model_version")).isEqualTo("4");
    assertThat(after.text("rendered_dag")).contains("\\\"model_version\\\":\\\"4\\\"");
    List<String> reasons = new ArrayList<>();
    api.get(deployment("follow") + "/events")
        .body()
        .get("items")
        .forEach(e -> reasons.add(e.get("kind").asText() + ": " + e.get("reason").asText()));
    assertThat(reasons).contains("model_version: model version 3 → 4 (alias champion)");
  }

  @Test
  void patchReRendersTheDagAndHonoursIfMatch() {
    JsonNode created = create("patched");
    ApiResponse current = api.get(deployment("patched"));
    String etag = current.header("ETag");

    ApiResponse stale =
        api.send(
            "PATCH",
            deployment("patched"),
            Map.of("schedule", "@hourly"),
            Map.of("If-Match", "\"stale\""));
    assertThat(stale.status()).isEqualTo(412);

    Map<String, Object> change = new LinkedHashMap<>();
    change.put("schedule", null);
    change.put("filter_sql", "amount > 100 AND region IN ('EU', 'US')");
    change.put("rerun_behavior", "append_dedup");
    ApiResponse patched =
        api.send("PATCH", deployment("patched"), change, Map.of("If-Match", etag));

    assertThat(patched.status()).as(patched.rawBody()).isEqualTo(200);
    assertThat(patched.text("schedule")).isNull();
    assertThat(patched.body().get("source").get("filter_sql").asText())
        .isEqualTo("amount > 100 AND region IN ('EU', 'US')");
    assertThat(patched.body().get("rerun_behavior").asText()).isEqualTo("append_dedup");
    assertThat(patched.header("ETag")).isNotEqualTo(etag);
    String dag = patched.text("rendered_dag");
    assertThat(dag).contains("SCHEDULE = None", "append_dedup");
    Python.assertParses(dag);
    assertThat(Path.of(java.net.URI.create(created.get("dag_s3_uri").asText())))
        .content()
        .isEqualTo(dag);
    assertThat(
            api.send(
                    "PATCH",
                    deployment("patched"),
                    Map.of("rerun_behavior", "overwrite_partition"),
                    Map.of("If-Match", etag))
                .status())
        .isEqualTo(412);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBadFilterSqlIsLocatedWhereEachBodyHasIt() throws Exception {
    String message = "Value error, filter_sql must be a single expression: ';' is not allowed";
    Map<String, Object> request = seedRequest("bad-filter");
    ((Map<String, Object>) request.get("source")).put("filter_sql", "a = 1; DROP TABLE t");

    ApiResponse created = api.post(deployments(), request);

    assertThat(created.status()).as(created.rawBody()).isEqualTo(422);
    assertThat(created.body())
        .isEqualTo(
            JSON.readTree(
                "{\"detail\":[{\"loc\":[\"body\",\"source\",\"filter_sql\"],"
                    + "\"msg\":\""
                    + message
                    + "\",\"type\":\"value_error\"}]}"));

    create("patch-bad-filter");
    ApiResponse patched =
        api.send(
            "PATCH",
            deployment("patch-bad-filter"),
            Map.of("filter_sql", "a = 1; DROP TABLE t"),
            Map.of());

    assertThat(patched.status()).as(patched.rawBody()).isEqualTo(422);
    assertThat(patched.body())
        .isEqualTo(
            JSON.readTree(
                "{\"detail\":[{\"loc\":[\"body\",\"filter_sql\"],"
                    + "\"msg\":\""
                    + message
                    + "\",\"type\":\"value_error\"}]}"));
    assertThat(
            api.get(deployment("patch-bad-filter")).body().get("source").get("filter_sql").asText())
        .isEqualTo("region = 'EU' AND signup_date >= DATE '2024-01-01'");
  }

  @Test
  void listsFilterAndPageAcrossModels() {
    for (int i = 0; i < 3; i++) {
      create("list-" + i);
    }
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      ApiResponse page =
          api.get(deployments() + "?page_size=2" + (token == null ? "" : "&page_token=" + token));
      page.body().get("items").forEach(d -> names.add(d.get("name").asText()));
      token = page.text("next_page_token");
    } while (token != null);
    assertThat(names).containsExactly("list-2", "list-1", "list-0");

    JsonNode all =
        api.get("/api/deployments?domain=crm&owner=ana&type=batch&page_size=200")
            .body()
            .get("items");
    List<String> models = new ArrayList<>();
    all.forEach(d -> models.add(d.get("model").get("model_name").asText()));
    assertThat(models).contains(model);
  }

  @Test
  void mlflowDownIs503AndNothingIsStored() {
    mlflow.stubFor(
        get(urlPathEqualTo("/api/2.0/mlflow/model-versions/get"))
            .atPriority(0)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    ApiResponse response = api.post(deployments(), seedRequest("registry-down"));

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.text("error")).contains("MLflow is unreachable");
    assertThat(api.get(deployment("registry-down")).status()).isEqualTo(404);
    assertThat(api.get(deployments() + "?status=failed").body().get("items")).isEmpty();
  }

  @Test
  void triggerNowRunsRightAfterTheDagIsPublished() {
    Map<String, Object> request = seedRequest("now");
    request.put("trigger_now", true);

    ApiResponse created = api.post(deployments(), request);

    assertThat(created.status()).isEqualTo(201);
    JsonNode lastRun = created.body().get("last_run");
    assertThat(lastRun.get("status").asText()).isEqualTo("queued");
    String dagId = created.text("dag_id");
    Await.until(
        () ->
            airflow
                .findAll(postRequestedFor(urlEqualTo("/api/v2/dags/" + dagId + "/dagRuns")))
                .size(),
        n -> n == 1,
        WAIT);
    var requests =
        airflow.getAllServeEvents().stream()
            .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
            .filter(line -> line.contains(dagId))
            .toList();
    // Newest first: the run is triggered only after the DAG was unpaused.
    assertThat(requests)
        .containsExactly(
            "POST /api/v2/dags/" + dagId + "/dagRuns",
            "PATCH /api/v2/dags/" + dagId + "?update_mask=is_paused");
  }

  @Test
  void publishingThatAirflowRefusesForGoodFailsTheDeployment() {
    airflow.stubFor(
        patch(urlPathMatching("/api/v2/dags/[^/]+"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(403).withBody("{\"detail\":\"forbidden\"}")));

    ApiResponse created = api.post(deployments(), seedRequest("refused"));

    assertThat(created.status()).isEqualTo(201);
    JsonNode failed = awaitStatus("refused", "failed");
    assertThat(failed.get("error_message").asText()).contains("HTTP 403", "forbidden");
  }

  @Test
  void aNulCharacterInAnyTextOrANullTagIs422OnEveryDatabase() {
    create("nul-free");
    assertProblem(
        api.post(deployments(), with(seedRequest("nul-domain"), "domain", "crm\0")),
        "[\"body\",\"domain\"]");
    assertProblem(
        api.post(
            deployments(), with(seedRequest("nul-role"), "allowed_roles", List.of("ok", "a\0b"))),
        "[\"body\",\"allowed_roles\",1]");
    Map<String, Object> nulVersion = seedRequest("nul-version");
    nulVersion.put("model", Map.of("model_name", model, "model_version", "3\0"));
    assertProblem(api.post(deployments(), nulVersion), "[\"body\",\"model\",\"model_version\"]");
    Map<String, Object> nulFilter = seedRequest("nul-filter");
    ((Map<String, Object>) nulFilter.get("source")).put("filter_sql", "region = 'E\0U'");
    assertProblem(api.post(deployments(), nulFilter), "[\"body\",\"source\",\"filter_sql\"]");
    assertProblem(
        api.post(
            deployment("nul-free") + "/runs",
            Map.of("airflow_run_id", "manual__\0", "status", "running")),
        "[\"body\",\"airflow_run_id\"]");
    assertProblem(
        api.post(deployment("nul-free") + "/trigger", Map.of("tags", Map.of("team\0", "a"))),
        "[\"body\",\"tags\"]");
    assertProblem(
        api.post(deployment("nul-free") + "/trigger", Map.of("tags", Map.of("team", "a\0"))),
        "[\"body\",\"tags\",\"team\"]");
    Map<String, Object> nullTag = new LinkedHashMap<>();
    nullTag.put("team", null);
    assertProblem(
        api.post(deployment("nul-free") + "/trigger", Map.of("tags", nullTag)),
        "[\"body\",\"tags\",\"team\"]");
    assertProblem(api.get(deployments() + "?owner=ana%00"), "[\"query\",\"owner\"]");
    assertThat(api.get(deployment("nul-domain")).status()).isEqualTo(404);
  }

  @Test
  void allowedRolesAreReplaced() {
    create("roles");
    ApiResponse updated =
        api.put(
            deployment("roles") + "/allowed_roles",
            Map.of("allowed_roles", List.of("team-b", "team-c")));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().get("allowed_roles").toString()).isEqualTo("[\"team-b\",\"team-c\"]");
  }

  private JsonNode create(String name) {
    ApiResponse created = api.post(deployments(), seedRequest(name));
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    return awaitStatus(name, "active");
  }

  private JsonNode awaitStatus(String name, String status) {
    return Await.until(
        () -> api.get(deployment(name)).body(), d -> status.equals(d.get("status").asText()), WAIT);
  }

  /** The feed's {@code data} of a run's events, once there are {@code count} of them. */
  private List<JsonNode> runEvents(String runId, int count) {
    return Await.until(
        () -> {
          List<JsonNode> mine = new ArrayList<>();
          api.get("/api/events?limit=1000&types=deployment_run.status_changed")
              .body()
              .get("items")
              .forEach(
                  e -> {
                    if (e.get("data").get("run_id").asText().equals(runId)) {
                      mine.add(e.get("data"));
                    }
                  });
          return mine;
        },
        list -> list.size() == count,
        WAIT);
  }

  private void aliasPointsAt(String version) {
    mlflow.withAlias(model, "champion", version);
  }

  private static void assertProblem(ApiResponse response, String loc) {
    assertThat(response.status()).as(response.rawBody()).isEqualTo(422);
    List<String> locs = new ArrayList<>();
    response.body().get("detail").forEach(d -> locs.add(d.get("loc").toString()));
    assertThat(locs).as(response.rawBody()).contains(loc);
  }

  private static Map<String, Object> with(Map<String, Object> request, String field, Object value) {
    request.put(field, value);
    return request;
  }

  private Map<String, Object> seedRequest(String name) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("schema", "crm");
    source.put("table", "customers");
    source.put("catalog", "iceberg");
    source.put("filter_sql", "region = 'EU' AND signup_date >= DATE '2024-01-01'");
    source.put("snapshot_id", 123);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put(
        "model",
        new LinkedHashMap<>(Map.of("model_name", "overridden-by-path", "model_version", "3")));
    request.put("source", source);
    request.put(
        "target",
        new LinkedHashMap<>(
            Map.of("schema", "crm", "table", "churn_predictions", "catalog", "iceberg")));
    request.put("entity_columns", List.of("customer_id"));
    request.put("domain", "crm");
    request.put("owner", "ana");
    request.put("type", "batch");
    request.put("schedule", "0 3 * * *");
    request.put("rerun_behavior", "overwrite_partition");
    request.put("partition_column", "scored_at");
    request.put("trigger_now", false);
    request.put("allowed_roles", List.of("team-a"));
    return request;
  }

  private String deployments() {
    return "/api/models/" + model + "/deployments";
  }

  private String deployment(String name) {
    return deployments() + "/" + name;
  }
}
