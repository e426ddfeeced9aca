package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Races on one deployment, each run for {@value #ROUNDS} rounds on PostgreSQL against one server
 * process (Airflow is WireMock, the outbox polls every 10 ms): two requests released at the same
 * instant by a barrier, then the answers, the row, the events and the outbox compared with what a
 * serial order of the 2xx answers gives. A lost update, a change by a caller without the right, or
 * a 5xx fails the round. Rounds run four at a time, on deployments made for them beforehand.
 */
class DeploymentRacesIT {
  /**
   * Rounds per race. The code before the fix of issue 10 lost these races in 10–40 % of the rounds;
   * at the lowest of those rates 50 rounds miss such a regression with a chance of 0.9^50, about
   * 0.5 % per race (100 rounds: 0.003 %), at half the time. Most of a race's time is making and
   * publishing its deployments, one per round.
   */
  private static final int ROUNDS = 50;

  private static final int PARALLEL_ROUNDS = 4;
  private static final String CREATED_SCHEDULE = "0 3 * * *";
  private static final String PATCHED_SCHEDULE = "15 4 * * *";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ExternalSystems externals;
  private static ServerUnderTest server;
  private static PostgresDatabase db;
  private static HttpClient http;
  private static String userPsk;
  private static ExecutorService pool;

  @BeforeAll
  static void start() throws Exception {
    externals = new ExternalSystems();
    Map<String, String> env = new LinkedHashMap<>(externals.airflowEnv());
    env.put("MODELPLANE_OUTBOX_POLL_MS", "10");
    env.put("MODELPLANE_OUTBOX_BACKOFF_MS", "10");
    server = ServerUnderTest.onPostgres("races", env);
    db = server.database();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    pool = Executors.newFixedThreadPool(PARALLEL_ROUNDS * 3);
    // A user whose roles are allowed on nothing the platform creates without allowed_roles.
    Answer key =
        send(
            "POST",
            "/api/psks",
            server.psk(),
            Map.of(
                "name",
                "racer",
                "owner",
                "mallory",
                "roles",
                List.of("nobody"),
                "validity_days",
                1),
            null);
    assertStatus(key, 201);
    userPsk = key.body().get("secret").asText();
  }

  @AfterEach
  void everyExchangeKeptTheContract() {
    server.assertContractKept();
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (externals != null) {
      externals.close();
    }
  }

  // ------------------------------------------------------------------ the races

  @Test
  void patchAgainstStopLosesNeither() throws Exception {
    String model = Fixtures.unique("race-stop");
    roundsOnActive(
        model,
        List.of(),
        (i, name) -> {
          Answer[] answers = race(() -> patchSchedule(model, name), () -> stop(model, name));
          assertStatus(answers[0], 200);
          assertStatus(answers[1], 200);
          Map<String, Object> row = row(model, name);
          assertThat(row.get("status")).isEqualTo("stopped");
          assertThat(row.get("schedule")).isEqualTo(PATCHED_SCHEDULE);
          assertThat(statusEvents(row)).endsWith("active→stopped");
          assertThat(countEvents(row, "rendered")).isEqualTo(1);
          assertThat(outboxKinds(row)).containsSubsequence("publish_dag", "pause_dag");
        });
  }

  @Test
  void patchAgainstArchiveNeverRevivesTheDeployment() throws Exception {
    String model = Fixtures.unique("race-archive");
    roundsOnActive(
        model,
        List.of(),
        (i, name) -> {
          Map<String, Object> before = row(model, name);
          Path dagFile = Path.of(URI.create((String) before.get("dag_s3_uri")));
          assertThat(dagFile).exists();
          Answer[] answers = race(() -> patchSchedule(model, name), () -> archive(model, name));
          assertStatus(answers[1], 200);
          assertStatus(answers[0], 200, 404);
          Map<String, Object> row =
              db.rows(
                      "SELECT * FROM deployments WHERE deployment_id = ?",
                      before.get("deployment_id"))
                  .get(0);
          assertThat(row.get("status")).isEqualTo("archived");
          assertThat(row.get("live_name")).isNull();
          // Serial order: a PATCH that answered 200 came before the archive, a 404 after it.
          boolean patched = answers[0].status() == 200;
          assertThat(row.get("schedule")).isEqualTo(patched ? PATCHED_SCHEDULE : CREATED_SCHEDULE);
          List<String> kinds = eventKinds(row);
          if (patched) {
            assertThat(kinds).containsSubsequence("rendered", "status:archived");
          } else {
            assertThat(kinds).doesNotContain("rendered");
          }
          assertThat(kinds.get(kinds.size() - 1)).isEqualTo("status:archived");
          assertThat(dagFile).doesNotExist();
          assertThat(outboxKinds(row)).containsSubsequence("pause_dag", "delete_dag");
          assertThat(get(model, name).status()).isEqualTo(404);
        });
  }

  @Test
  void patchAgainstRevokingRolesKeepsTheRolesRevoked() throws Exception {
    String model = Fixtures.unique("race-roles");
    roundsOnActive(
        model,
        List.of("data-science"),
        (i, name) -> {
          Answer[] answers =
              race(
                  () -> patchSchedule(model, name),
                  () ->
                      send(
                          "PUT",
                          path(model, name) + "/allowed_roles",
                          server.psk(),
                          Map.of("allowed_roles", List.of()),
                          null));
          assertStatus(answers[0], 200);
          assertStatus(answers[1], 200);
          Map<String, Object> row = row(model, name);
          assertThat(row.get("allowed_roles")).isEqualTo("[]");
          assertThat(row.get("schedule")).isEqualTo(PATCHED_SCHEDULE);
          assertThat(countEvents(row, "roles")).isEqualTo(1);
          assertThat(countEvents(row, "rendered")).isEqualTo(1);
        });
  }

  @Test
  void patchAgainstARunCallbackKeepsTheLastRun() throws Exception {
    String model = Fixtures.unique("race-callback");
    roundsOnActive(
        model,
        List.of(),
        (i, name) -> {
          String airflowRunId = "scheduled__2026-11-30T03:00:00+00:00__" + i;
          Answer[] answers =
              race(
                  () -> patchSchedule(model, name),
                  () ->
                      send(
                          "POST",
                          path(model, name) + "/runs",
                          server.psk(),
                          Map.of("airflow_run_id", airflowRunId, "status", "running"),
                          null));
          assertStatus(answers[0], 200);
          assertStatus(answers[1], 200);
          Map<String, Object> row = row(model, name);
          assertThat(row.get("schedule")).isEqualTo(PATCHED_SCHEDULE);
          assertThat(row.get("last_run_id")).hasToString(answers[1].body().get("run_id").asText());
          JsonNode lastRun = get(model, name).body().get("last_run");
          assertThat(lastRun.get("airflow_run_id").asText()).isEqualTo(airflowRunId);
        });
  }

  @Test
  void patchAgainstTheOutboxPublishLeavesTheDeploymentActive() throws Exception {
    String model = Fixtures.unique("race-publish");
    rounds(
        i -> {
          String name = Fixtures.unique("pub" + i);
          // The create commits "deploying" and the outbox's publish races the PATCH.
          Answer created = create(model, name, List.of());
          assertStatus(created, 201);
          Answer patched = patchSchedule(model, name);
          assertStatus(patched, 200);
          Map<String, Object> row = awaitStatus(model, name, "active");
          assertThat(row.get("schedule")).isEqualTo(PATCHED_SCHEDULE);
          assertThat(statusEvents(row))
              .containsExactly("null→pending", "pending→deploying", "deploying→active");
          assertThat(countEvents(row, "rendered")).isEqualTo(1);
        });
  }

  @Test
  void triggerAgainstStopChecksTheStatusOnTheLockedRow() throws Exception {
    String model = Fixtures.unique("race-trigger");
    roundsOnActive(
        model,
        List.of(),
        (i, name) -> {
          Answer[] answers =
              race(
                  () -> send("POST", path(model, name) + "/trigger", server.psk(), Map.of(), null),
                  () -> stop(model, name));
          assertStatus(answers[1], 200);
          assertStatus(answers[0], 202, 409);
          Map<String, Object> row = row(model, name);
          assertThat(row.get("status")).isEqualTo("stopped");
          long runs =
              db.number(
                  "SELECT count(*) FROM deployment_runs WHERE deployment_id = ?",
                  row.get("deployment_id"));
          if (answers[0].status() == 202) {
            // Serial order trigger → stop: the run was queued while the row was active.
            assertThat(runs).isEqualTo(1);
            assertThat(
                    db.number(
                        "SELECT count(*) FROM deployment_runs r JOIN deployment_events e"
                            + " ON e.deployment_id = r.deployment_id AND e.to_status = 'stopped'"
                            + " WHERE r.deployment_id = ? AND r.created_at <= e.created_at",
                        row.get("deployment_id")))
                .isEqualTo(1);
          } else {
            assertThat(runs).isZero();
            assertThat(answers[0].text()).contains("stopped");
          }
        });
  }

  @Test
  void aUserWithoutRightsNeverChangesADeploymentThePlatformCreatesMeanwhile() throws Exception {
    String model = Fixtures.unique("race-authz");
    rounds(
        i -> {
          String name = Fixtures.unique("authz" + i);
          boolean patch = i % 2 == 0;
          Callable<Answer> hammer =
              () -> {
                // Until the create has answered, the user keeps trying; every answer is kept.
                List<Answer> tries = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                  tries.add(
                      patch
                          ? send(
                              "PATCH",
                              path(model, name),
                              userPsk,
                              Map.of("schedule", PATCHED_SCHEDULE),
                              null)
                          : send(
                              "PUT",
                              path(model, name) + "/allowed_roles",
                              userPsk,
                              Map.of("allowed_roles", List.of("nobody")),
                              null));
                }
                tries.forEach(answer -> assertStatus(answer, 403, 404));
                return tries.get(tries.size() - 1);
              };
          Answer[] answers = race(hammer, () -> create(model, name, List.of()));
          assertStatus(answers[1], 201);
          Map<String, Object> row = row(model, name);
          assertThat(row.get("allowed_roles")).isEqualTo("[]");
          assertThat(row.get("schedule")).isEqualTo(CREATED_SCHEDULE);
          assertThat(
                  db.number(
                      "SELECT count(*) FROM deployment_events WHERE deployment_id = ?"
                          + " AND actor <> 'platform' AND actor <> 'outbox-worker'",
                      row.get("deployment_id")))
              .as("events by anyone but the platform and the outbox")
              .isZero();
        });
  }

  // ------------------------------------------------------------------ rounds and requests

  /** Runs the rounds, {@value #PARALLEL_ROUNDS} at a time; fails with the first failed round. */
  private static void rounds(Round round) throws Exception {
    long started = System.nanoTime();
    List<Future<Object>> futures = new ArrayList<>();
    ExecutorService rounds = Executors.newFixedThreadPool(PARALLEL_ROUNDS);
    try {
      for (int i = 0; i < ROUNDS; i++) {
        int index = i;
        futures.add(
            rounds.submit(
                () -> {
                  round.run(index);
                  return null;
                }));
      }
      for (Future<Object> future : futures) {
        future.get(2, TimeUnit.MINUTES);
      }
    } finally {
      rounds.shutdownNow();
    }
    System.out.printf(
        "[modelplane-it] races: %d rounds in %d ms; answers %s%n",
        ROUNDS, (System.nanoTime() - started) / 1_000_000, server.proxy().statusCounts());
    assertThat(server.proxy().statusCounts().keySet())
        .allSatisfy(s -> assertThat(s).isLessThan(500));
  }

  /**
   * Makes {@value #ROUNDS} active deployments of {@code model} with {@code roles}, then runs the
   * rounds, round {@code i} on the {@code i}-th deployment.
   */
  private static void roundsOnActive(String model, List<String> roles, RoundOn round)
      throws Exception {
    List<String> names = activeDeployments(model, roles);
    rounds(i -> round.run(i, names.get(i)));
  }

  /** One round of a race on an active deployment made for it. */
  @FunctionalInterface
  private interface RoundOn {
    void run(int index, String name) throws Exception;
  }

  /** Fails with the body unless the status is one of {@code expected}. */
  private static void assertStatus(Answer answer, Integer... expected) {
    assertThat(answer.status()).as(answer.text()).isIn((Object[]) expected);
  }

  /** One round of a race, on its own deployment. */
  @FunctionalInterface
  private interface Round {
    void run(int index) throws Exception;
  }

  /** Releases both calls at the same instant; their answers in the order given. */
  private static Answer[] race(Callable<Answer> first, Callable<Answer> second) {
    CyclicBarrier barrier = new CyclicBarrier(2);
    Future<Answer> a = pool.submit(() -> awaitThen(barrier, first));
    Future<Answer> b = pool.submit(() -> awaitThen(barrier, second));
    try {
      return new Answer[] {a.get(1, TimeUnit.MINUTES), b.get(1, TimeUnit.MINUTES)};
    } catch (Exception e) {
      throw new AssertionError("a racing request failed", e);
    }
  }

  private static Answer awaitThen(CyclicBarrier barrier, Callable<Answer> call) throws Exception {
    barrier.await(1, TimeUnit.MINUTES);
    return call.call();
  }

  /** {@value #ROUNDS} deployments of {@code model}, created beforehand, all active. */
  private static List<String> activeDeployments(String model, List<String> roles) throws Exception {
    List<String> names = new ArrayList<>();
    List<Future<Answer>> creates = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = Fixtures.unique("d" + i);
      names.add(name);
      creates.add(pool.submit(() -> create(model, name, roles)));
    }
    for (Future<Answer> created : creates) {
      assertStatus(created.get(1, TimeUnit.MINUTES), 201);
    }
    Await.until(
        "every deployment of " + model + " active",
        Duration.ofSeconds(60),
        () ->
            db.number(
                    "SELECT count(*) FROM deployments WHERE model_name = ? AND status = 'active'",
                    model)
                == ROUNDS);
    return names;
  }

  private static Map<String, Object> awaitStatus(String model, String name, String status) {
    return Await.value(
        name + " " + status,
        Duration.ofSeconds(30),
        () -> row(model, name),
        row -> status.equals(row.get("status")));
  }

  private static Map<String, Object> row(String model, String name) {
    List<Map<String, Object>> rows =
        db.rows(
            "SELECT * FROM deployments WHERE model_name = ? AND name = ? ORDER BY created_at DESC",
            model,
            name);
    assertThat(rows).isNotEmpty();
    return rows.get(0);
  }

  private static List<String> statusEvents(Map<String, Object> row) {
    return db
        .rows(
            "SELECT from_status, to_status FROM deployment_events"
                + " WHERE deployment_id = ? AND kind = 'status' ORDER BY event_id",
            row.get("deployment_id"))
        .stream()
        .map(e -> e.get("from_status") + "→" + e.get("to_status"))
        .toList();
  }

  /** Event kinds in order, a status event as {@code status:<to>}. */
  private static List<String> eventKinds(Map<String, Object> row) {
    return db
        .rows(
            "SELECT kind, to_status FROM deployment_events WHERE deployment_id = ?"
                + " ORDER BY event_id",
            row.get("deployment_id"))
        .stream()
        .map(
            e ->
                "status".equals(e.get("kind"))
                    ? "status:" + e.get("to_status")
                    : (String) e.get("kind"))
        .toList();
  }

  private static long countEvents(Map<String, Object> row, String kind) {
    return db.number(
        "SELECT count(*) FROM deployment_events WHERE deployment_id = ? AND kind = ?",
        row.get("deployment_id"),
        kind);
  }

  private static List<String> outboxKinds(Map<String, Object> row) {
    return db
        .rows(
            "SELECT kind FROM outbox_tasks WHERE deployment_id = ? ORDER BY task_id",
            row.get("deployment_id"))
        .stream()
        .map(t -> (String) t.get("kind"))
        .toList();
  }

  private static Answer create(String model, String name, List<String> roles) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("model", Map.of("model_name", model, "model_version", "1"));
    body.put("source", Map.of("schema", "crm", "table", "customers"));
    body.put("target", Map.of("schema", "crm", "table", "churn_predictions"));
    body.put("entity_columns", List.of("customer_id"));
    body.put("domain", "crm");
    body.put("owner", "ana");
    body.put("schedule", CREATED_SCHEDULE);
    body.put("rerun_behavior", "overwrite_partition");
    if (!roles.isEmpty()) {
      body.put("allowed_roles", roles);
    }
    return send("POST", "/api/models/" + model + "/deployments", server.psk(), body, null);
  }

  private static Answer patchSchedule(String model, String name) throws Exception {
    return send(
        "PATCH", path(model, name), server.psk(), Map.of("schedule", PATCHED_SCHEDULE), null);
  }

  private static Answer stop(String model, String name) throws Exception {
    return send("POST", path(model, name) + "/stop", server.psk(), null, null);
  }

  private static Answer archive(String model, String name) throws Exception {
    return send("DELETE", path(model, name), server.psk(), null, null);
  }

  private static Answer get(String model, String name) throws Exception {
    return send("GET", path(model, name), server.psk(), null, null);
  }

  private static String path(String model, String name) {
    return "/api/models/" + model + "/deployments/" + name;
  }

  private static Answer send(String method, String path, String psk, Object body, String ifMatch)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization-PSK", psk);
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  /** A status and a body. */
  private record Answer(int status, String text) {
    JsonNode body() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }
  }
}
