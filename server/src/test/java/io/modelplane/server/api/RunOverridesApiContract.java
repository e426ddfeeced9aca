package io.modelplane.server.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import io.modelplane.server.support.WireMockMlflow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * Run now with overrides (a model version, a target table and free settings for one run) and the
 * run list across deployments ({@code GET /api/runs}), over real HTTP with WireMock as Airflow and
 * MLflow; every response is validated against openapi.yaml. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunOverridesApiContract {
  private static final Duration WAIT = Duration.ofSeconds(20);
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
    model = "runs-" + UUID.randomUUID().toString().substring(0, 8);
    airflow.resetToTokenPauseAndTrigger().answerDagRunsAs("running");
    mlflow.resetToNoVersions().withVersions(model, "3", "7");
  }

  @Test
  void aTriggerWithOverridesRecordsThemAndHandsThemToTheDagRunConf() {
    create("nightly", "ana");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("threshold", 0.7);
    settings.put("mode", "shadow");
    settings.put("nested", Map.of("batch_size", 500, "flags", List.of(true, false)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model_version", "7");
    body.put("target", Map.of("catalog", "iceberg", "schema", "sandbox", "table", "churn_try"));
    body.put("settings", settings);

    ApiResponse queued = api.post(deployment("nightly") + "/trigger", body);

    assertThat(queued.status()).as(queued.rawBody()).isEqualTo(202);
    assertThat(queued.text("model_version")).isEqualTo("7");
    assertThat(queued.body().get("target").toString())
        .isEqualTo("{\"schema\":\"sandbox\",\"table\":\"churn_try\",\"catalog\":\"iceberg\"}");
    assertThat(queued.body().get("target_overridden").asBoolean()).isTrue();
    assertThat(queued.body().get("settings").get("nested").get("batch_size").asInt())
        .isEqualTo(500);
    assertThat(queued.text("model_name")).isEqualTo(model);
    assertThat(queued.text("deployment_name")).isEqualTo("nightly");
    String runId = queued.text("run_id");
    Await.until(
        () -> airflow.findAll(postRequestedFor(urlPathMatching(".*/dagRuns"))).size(),
        n -> n >= 1,
        WAIT);
    airflow.verify(
        1,
        postRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns"))
            .withRequestBody(
                equalToJson(
                    "{\"dag_run_id\":\""
                        + queued.text("airflow_run_id")
                        + "\",\"logical_date\":null,\"conf\":{\"run_id\":\""
                        + runId
                        + "\",\"snapshot_id\":null,\"tags\":{},\"model_version\":\"7\","
                        + "\"target\":{\"catalog\":\"iceberg\",\"schema\":\"sandbox\","
                        + "\"table\":\"churn_try\"},\"settings\":{\"threshold\":0.7,"
                        + "\"mode\":\"shadow\",\"nested\":{\"batch_size\":500,"
                        + "\"flags\":[true,false]}}}}")));

    // The run keeps what it used; the deployment itself is unchanged.
    JsonNode run = api.get(deployment("nightly") + "/runs/" + runId).body();
    assertThat(run.get("model_version").asText()).isEqualTo("7");
    assertThat(run.get("target").get("table").asText()).isEqualTo("churn_try");
    assertThat(run.get("settings").get("mode").asText()).isEqualTo("shadow");
    JsonNode listed = api.get(deployment("nightly") + "/runs").body().get("items").get(0);
    assertThat(listed.get("settings")).isEqualTo(run.get("settings"));
    JsonNode deployment = api.get(deployment("nightly")).body();
    assertThat(deployment.get("resolved_model_version").asText()).isEqualTo("3");
    assertThat(deployment.get("target").get("table").asText()).isEqualTo("predictions");
  }

  @Test
  void aTriggerWithoutOverridesRunsTheDeploymentAsItIs() {
    create("plain", "ana");

    ApiResponse queued = api.post(deployment("plain") + "/trigger", null);

    assertThat(queued.status()).isEqualTo(202);
    assertThat(queued.text("model_version")).isEqualTo("3");
    assertThat(queued.body().get("target").get("table").asText()).isEqualTo("predictions");
    assertThat(queued.body().get("target_overridden").asBoolean()).isFalse();
    assertThat(queued.body().get("settings").isNull()).isTrue();
    Await.until(
        () -> airflow.findAll(postRequestedFor(urlPathMatching(".*/dagRuns"))).size(),
        n -> n >= 1,
        WAIT);
    airflow.verify(
        1,
        postRequestedFor(urlPathMatching("/api/v2/dags/[^/]+/dagRuns"))
            .withRequestBody(
                equalToJson(
                    "{\"dag_run_id\":\""
                        + queued.text("airflow_run_id")
                        + "\",\"logical_date\":null,\"conf\":{\"run_id\":\""
                        + queued.text("run_id")
                        + "\",\"snapshot_id\":null,\"tags\":{}}}")));
  }

  @Test
  void invalidOverridesAre422AndQueueNothing() {
    create("strict", "ana");
    String trigger = deployment("strict") + "/trigger";

    assertProblem(api.post(trigger, Map.of("model_version", "99")), "[\"body\",\"model_version\"]");
    assertProblem(api.post(trigger, Map.of("model_version", "")), "[\"body\",\"model_version\"]");
    assertProblem(
        api.post(trigger, Map.of("model_version", "9".repeat(65))), "[\"body\",\"model_version\"]");
    assertProblem(
        api.post(trigger, Map.of("target", Map.of("schema", "bad schema", "table", "t"))),
        "[\"body\",\"target\",\"schema\"]");
    assertProblem(
        api.post(trigger, Map.of("target", Map.of("schema", "crm"))),
        "[\"body\",\"target\",\"table\"]");
    Map<String, Object> nullCatalog = new LinkedHashMap<>();
    nullCatalog.put("schema", "crm");
    nullCatalog.put("table", "t");
    nullCatalog.put("catalog", null);
    assertProblem(
        api.post(trigger, Map.of("target", nullCatalog)), "[\"body\",\"target\",\"catalog\"]");
    Map<String, Object> tooMany = new LinkedHashMap<>();
    for (int i = 0; i < 51; i++) {
      tooMany.put("k" + i, i);
    }
    assertProblem(api.post(trigger, Map.of("settings", tooMany)), "[\"body\",\"settings\"]");
    assertProblem(
        api.post(trigger, Map.of("settings", Map.of("big", "x".repeat(3999)))),
        "[\"body\",\"settings\",\"big\"]");
    assertProblem(
        api.post(trigger, Map.of("settings", Map.of("k".repeat(201), 1))),
        "[\"body\",\"settings\"]");
    assertProblem(api.post(trigger, Map.of("settings", List.of(1))), "[\"body\",\"settings\"]");

    Map<String, Object> atTheLimits = new LinkedHashMap<>();
    for (int i = 0; i < 49; i++) {
      atTheLimits.put("k" + i, i);
    }
    atTheLimits.put("k".repeat(200), "x".repeat(3998)); // 4,000 characters as JSON
    ApiResponse accepted = api.post(trigger, Map.of("settings", atTheLimits));
    assertThat(accepted.status()).as(accepted.rawBody()).isEqualTo(202);
    JsonNode runs = api.get(deployment("strict") + "/runs").body().get("items");
    assertThat(runs).hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyWithOtherOverridesIs422() {
    create("replayed", "ana");
    Map<String, String> key = Map.of("Idempotency-Key", "k-" + UUID.randomUUID());
    Map<String, Object> body = Map.of("model_version", "7", "settings", Map.of("a", 1, "b", 2));

    ApiResponse first = api.send("POST", deployment("replayed") + "/trigger", body, key);
    ApiResponse replay =
        api.send(
            "POST",
            deployment("replayed") + "/trigger",
            Map.of("settings", Map.of("b", 2, "a", 1), "model_version", "7"),
            key);
    ApiResponse other =
        api.send("POST", deployment("replayed") + "/trigger", Map.of("model_version", "3"), key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.text("run_id")).isEqualTo(first.text("run_id"));
    assertProblem(other, "[\"header\",\"Idempotency-Key\"]");
  }

  @Test
  void runsAcrossDeploymentsAreFilteredSortedAndPaged() {
    JsonNode first = create("first", "ana");
    create("second", "bo");
    List<String> firstRuns = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      firstRuns.add(api.post(deployment("first") + "/trigger", null).text("run_id"));
    }
    String secondRun = api.post(deployment("second") + "/trigger", null).text("run_id");
    api.post(deployment("first") + "/runs/" + firstRuns.get(0) + "/cancel", null);
    String ofModel = "deployment=" + URLEncoder.encode(model + "/first", StandardCharsets.UTF_8);

    // By deployment (model/name or id), newest first by default.
    assertThat(ids("/api/runs?" + ofModel))
        .containsExactly(firstRuns.get(2), firstRuns.get(1), firstRuns.get(0));
    assertThat(ids("/api/runs?deployment=" + first.get("deployment_id").asText()))
        .containsExactly(firstRuns.get(2), firstRuns.get(1), firstRuns.get(0));
    assertThat(ids("/api/runs?" + ofModel + "&order=asc"))
        .containsExactly(firstRuns.get(0), firstRuns.get(1), firstRuns.get(2));
    assertThat(ids("/api/runs?deployment=" + model + "%2Fnone")).isEmpty();
    // By owner (the deployment's) and by several statuses.
    assertThat(ids("/api/runs?owner=bo&" + "deployment=" + model + "%2Fsecond"))
        .containsExactly(secondRun);
    assertThat(ids("/api/runs?" + ofModel + "&owner=bo")).isEmpty();
    assertThat(ids("/api/runs?" + ofModel + "&status=failed")).containsExactly(firstRuns.get(0));
    assertThat(ids("/api/runs?" + ofModel + "&status=failed&status=queued")).hasSize(3);
    // Sorted by status: failed before queued ascending, after it descending.
    assertThat(ids("/api/runs?" + ofModel + "&sort_by=status&order=asc"))
        .containsExactly(firstRuns.get(0), firstRuns.get(1), firstRuns.get(2));
    assertThat(ids("/api/runs?" + ofModel + "&sort_by=status&order=desc"))
        .containsExactly(firstRuns.get(2), firstRuns.get(1), firstRuns.get(0));
    // A time range of creation.
    JsonNode middle = api.get(deployment("first") + "/runs/" + firstRuns.get(1)).body();
    String at = URLEncoder.encode(middle.get("created_at").asText(), StandardCharsets.UTF_8);
    assertThat(ids("/api/runs?" + ofModel + "&created_after=" + at))
        .containsExactly(firstRuns.get(2), firstRuns.get(1));
    assertThat(ids("/api/runs?" + ofModel + "&created_before=" + at))
        .containsExactly(firstRuns.get(0));

    // Pages of one, in both orders: every run once, in order.
    for (String sort : List.of("created_at", "status")) {
      for (String order : List.of("asc", "desc")) {
        String query = "/api/runs?" + ofModel + "&sort_by=" + sort + "&order=" + order;
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
          ApiResponse page =
              api.get(query + "&page_size=1" + (token == null ? "" : "&page_token=" + token));
          assertThat(page.status()).as(page.rawBody()).isEqualTo(200);
          page.body().get("items").forEach(item -> paged.add(item.get("run_id").asText()));
          token = page.body().path("next_page_token").asText(null);
        } while (token != null);
        assertThat(paged).as(sort + " " + order).isEqualTo(ids(query));
      }
    }
    // A token belongs to its order.
    String token =
        api.get("/api/runs?" + ofModel + "&page_size=1").body().get("next_page_token").asText();
    assertProblem(
        api.get("/api/runs?" + ofModel + "&order=asc&page_token=" + token),
        "[\"query\",\"page_token\"]");
  }

  @Test
  void anOwnersRunsAreMergedAcrossItsDeploymentsInEveryOrderAndPage() {
    String owner = "cy-" + UUID.randomUUID();
    create("own-a", owner);
    create("own-b", owner);
    create("not-own", "dee");
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = i % 2 == 0 ? "own-a" : "own-b";
      runs.add(api.post(deployment(name) + "/trigger", null).text("run_id"));
    }
    api.post(deployment("not-own") + "/trigger", null);
    api.post(deployment("own-b") + "/runs/" + runs.get(1) + "/cancel", null);
    String ofOwner = "/api/runs?owner=" + owner;

    List<String> newest = ids(ofOwner);

    assertThat(newest).containsExactlyInAnyOrderElementsOf(runs);
    List<String> oldest = new ArrayList<>(newest);
    java.util.Collections.reverse(oldest);
    assertThat(ids(ofOwner + "&order=asc")).containsExactlyElementsOf(oldest);
    assertThat(ids(ofOwner + "&status=failed")).containsExactly(runs.get(1));
    assertThat(ids(ofOwner + "&status=failed&status=queued")).hasSize(4);
    assertThat(ids(ofOwner + "&sort_by=status&order=asc").get(0)).isEqualTo(runs.get(1));
    assertThat(ids("/api/runs?owner=nobody-" + UUID.randomUUID())).isEmpty();
    for (String sort : List.of("created_at", "status")) {
      for (String order : List.of("asc", "desc")) {
        String query = ofOwner + "&sort_by=" + sort + "&order=" + order;
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
          ApiResponse page =
              api.get(query + "&page_size=1" + (token == null ? "" : "&page_token=" + token));
          assertThat(page.status()).as(page.rawBody()).isEqualTo(200);
          page.body().get("items").forEach(item -> paged.add(item.get("run_id").asText()));
          token = page.body().path("next_page_token").asText(null);
        } while (token != null);
        assertThat(paged).as(sort + " " + order).isEqualTo(ids(query));
      }
    }
  }

  @Test
  void invalidRunListQueriesAre422() {
    assertProblem(api.get("/api/runs?status=done"), "[\"query\",\"status\"]");
    assertProblem(api.get("/api/runs?sort_by=name"), "[\"query\",\"sort_by\"]");
    assertProblem(api.get("/api/runs?order=up"), "[\"query\",\"order\"]");
    assertProblem(api.get("/api/runs?page_size=201"), "[\"query\",\"page_size\"]");
    assertProblem(api.get("/api/runs?page_token=nope"), "[\"query\",\"page_token\"]");
    assertProblem(api.get("/api/runs?deployment=no-slash"), "[\"query\",\"deployment\"]");
    assertProblem(api.get("/api/runs?created_after=yesterday"), "[\"query\",\"created_after\"]");
  }

  @Test
  void aUserPskReadsTheRunListAsItReadsEachDeploymentsRuns() {
    create("shared", "ana");
    String runId = api.post(deployment("shared") + "/trigger", null).text("run_id");
    ApiResponse issued =
        api.post(
            "/api/psks",
            Map.of("name", "reader", "owner", "zoe", "roles", List.of(), "validity_days", 1));
    assertThat(issued.status()).isEqualTo(201);
    ApiClient zoe = server.anonymousClient().withPsk(issued.text("secret"));
    String query = "/api/runs?deployment=" + model + "%2Fshared";

    ApiResponse perDeployment = zoe.get(deployment("shared") + "/runs");
    ApiResponse across = zoe.get(query);

    assertThat(perDeployment.status()).isEqualTo(200);
    assertThat(across.status()).isEqualTo(200);
    assertThat(across.body().get("items").get(0).get("run_id").asText()).isEqualTo(runId);
    assertThat(server.anonymousClient().get(query).status()).isEqualTo(401);
    // Reading is not running: the same key may not trigger a deployment whose roles it lacks.
    assertThat(zoe.post(deployment("shared") + "/trigger", null).status()).isEqualTo(403);
  }

  private List<String> ids(String path) {
    ApiResponse response = api.get(path);
    assertThat(response.status()).as(response.rawBody()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    response.body().get("items").forEach(item -> ids.add(item.get("run_id").asText()));
    return ids;
  }

  private JsonNode create(String name, String owner) {
    Map<String, Object> request = SampleRequests.deployment(model, name);
    request.put("owner", owner);
    request.put("allowed_roles", List.of("team-a"));
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

  private static void assertProblem(ApiResponse response, String loc) {
    assertThat(response.status()).as(response.rawBody()).isEqualTo(422);
    List<String> locs = new ArrayList<>();
    response.body().get("detail").forEach(d -> locs.add(d.get("loc").toString()));
    assertThat(locs).as(response.rawBody()).contains(loc);
  }
}
