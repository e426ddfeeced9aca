package io.modelplane.server.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.ModelplaneServer;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestClock;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local executor behind the real HTTP API, with a stand-in for {@code MODELPLANE_JAVA} ({@link
 * FakeTask}): what a trigger queues and runs, the slots, cancel ending the whole process tree, cron
 * ticks firing once, and a restart after a crash.
 */
class LocalExecutorTest {
  private static final String JOBS = "/api/automl/train/jobs";
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<ModelplaneServer> servers = new ArrayList<>();
  private final List<FakeTask> tasks = new ArrayList<>();
  private FakeTask fake;

  @AfterEach
  void stop() {
    servers.forEach(ModelplaneServer::close);
    for (FakeTask task : tasks) {
      task.starts().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  @Test
  void aTriggerRunsTheTrainingDagsCommandAndOneSlotRunsOneTaskAtATime() {
    ApiClient api = start(TestDatabases.h2(), 1, Clock.systemUTC());
    JsonNode first = api.post(JOBS, job("first", true)).body();
    JsonNode second = api.post(JOBS, job("second", true)).body();

    long firstPid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    List<String> args = fake.args(firstPid);
    String jobId = first.get("job_id").asText();
    assertThat(args.subList(0, 11))
        .containsExactly(
            "-jar",
            dir.resolve("helper.jar").toString(),
            "wrap",
            "--training-job",
            jobId,
            "--",
            fake.executable(),
            "-jar",
            dir.resolve("runner.jar").toString(),
            "train",
            "--job-json");
    JsonNode jobJson = read(args.get(11));
    assertThat(jobJson.get("job_id").asText()).isEqualTo(jobId);
    assertThat(jobJson.get("source_table").asText()).isEqualTo("crm.customers");
    assertThat(jobJson.get("label_column").asText()).isEqualTo("churned");
    assertThat(fake.env(firstPid))
        .contains("MODELPLANE_PSK=" + TestServer.PSK, "AIRFLOW_CTX_DAG_ID=" + dagOf(first))
        .anyMatch(line -> line.startsWith("MODELPLANE_URL=http://127.0.0.1:"));
    ApiResponse shown = api.get(JOBS + "/" + jobId);
    assertThat(shown.text("executor")).isEqualTo("local");
    assertThat(shown.text("airflow_dag_url")).isNull();
    assertThat(shown.text("status")).isEqualTo("queued");
    assertThat(api.get("/api/health/ready").body().get("checks").get("executor").asText())
        .isEqualTo("local");

    fake.release(firstPid, 0);
    long secondPid = Await.until(fake::starts, s -> s.size() == 2, LIMIT).get(1);
    assertThat(fake.args(secondPid)).contains(second.get("job_id").asText());

    fake.release(secondPid, 3);
    JsonNode failed =
        Await.until(
            () -> api.get(JOBS + "/" + second.get("job_id").asText()).body(),
            body -> "failed".equals(body.get("status").asText()),
            LIMIT);
    assertThat(failed.get("error_message").asText()).contains("the task exited with code 3");
  }

  @Test
  void twoSlotsRunTwoTasksAtOnce() {
    ApiClient api = start(TestDatabases.h2(), 2, Clock.systemUTC());
    api.post(JOBS, job("one", true));
    api.post(JOBS, job("two", true));
    api.post(JOBS, job("three", true));

    List<Long> running = Await.until(fake::starts, s -> s.size() == 2, LIMIT);
    assertThat(fake.starts()).hasSize(2);
    fake.release(running.get(0), 0);
    Await.until(fake::starts, s -> s.size() == 3, LIMIT);
  }

  @Test
  void cancelEndsTheWholeProcessTreeAndTheJobFails() {
    ApiClient api = start(TestDatabases.h2(), 1, Clock.systemUTC());
    String jobId = api.post(JOBS, job("cancelled", true)).text("job_id");
    long pid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    long grandchild = fake.grandchild(pid);
    assertThat(FakeTask.running(pid)).isTrue();
    assertThat(FakeTask.running(grandchild)).isTrue();

    ApiResponse cancelled = api.post(JOBS + "/" + jobId + "/cancel", null);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("failed");
    Await.until(
        () -> FakeTask.running(pid) || FakeTask.running(grandchild), alive -> !alive, LIMIT);
  }

  @Test
  void aManualRunsOverridesReachTheScorersCommandAsTheDagWouldPassThem() {
    ApiClient api = start(TestDatabases.h2(), 1, Clock.systemUTC());
    String deployment = "/api/models/churn/deployments/overrides";
    assertThat(api.post("/api/models/churn/deployments", deployment("overrides")).status())
        .isEqualTo(201);
    Await.until(() -> api.get(deployment).text("status"), "active"::equals, LIMIT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model_version", "9");
    body.put("target", Map.of("schema", "sandbox", "table", "try_1"));
    body.put("settings", Map.of("threshold", 0.25));

    ApiResponse queued = api.post(deployment + "/trigger", body);

    assertThat(queued.status()).as(queued.rawBody()).isEqualTo(202);
    long pid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    List<String> args = fake.args(pid);
    JsonNode passed = read(args.get(args.indexOf("--deployment-json") + 1));
    assertThat(passed.get("model_version").asText()).isEqualTo("9");
    assertThat(passed.get("target"))
        .isEqualTo(read("{\"schema\":\"sandbox\",\"table\":\"try_1\",\"catalog\":\"iceberg\"}"));
    assertThat(passed.get("source").get("table").asText()).isEqualTo("customers");
    assertThat(read(args.get(args.indexOf("--settings-json") + 1)))
        .isEqualTo(read("{\"threshold\":0.25}"));
    fake.release(pid, 0);
  }

  @Test
  void aJobPastItsMaximumRunTimeFailsAndItsWholeProcessTreeIsEnded() {
    TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    ApiClient api = start(TestDatabases.h2(), 1, clock);
    Map<String, Object> request = job("bounded", true);
    request.put("max_run_time_seconds", 60);
    String jobId = api.post(JOBS, request).text("job_id");
    long pid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    long grandchild = fake.grandchild(pid);
    assertThat(api.put(JOBS + "/" + jobId + "/status", Map.of("status", "running")).status())
        .isEqualTo(200);

    clock.set(Instant.parse("2026-03-01T10:00:59Z"));
    assertThat(servers.get(0).reconcileLoop().orElseThrow().runOnce()).isZero();
    assertThat(FakeTask.running(pid)).isTrue();
    clock.set(Instant.parse("2026-03-01T10:01:01Z"));
    assertThat(servers.get(0).reconcileLoop().orElseThrow().runOnce()).isEqualTo(1);

    ApiResponse failed = api.get(JOBS + "/" + jobId);
    assertThat(failed.text("status")).isEqualTo("failed");
    assertThat(failed.text("error_message")).isEqualTo("ran past its maximum run time of 60 s");
    Await.until(
        () -> FakeTask.running(pid) || FakeTask.running(grandchild), alive -> !alive, LIMIT);
  }

  @Test
  void aCronScheduleFiresOncePerTickAlsoAcrossARestart() {
    DatabaseConfig database = TestDatabases.h2();
    TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:30Z"));
    ApiClient api = start(database, 1, clock);
    Map<String, Object> request = deployment("nightly");
    request.put("schedule", "* * * * *");
    assertThat(api.post("/api/models/churn/deployments", request).status()).isEqualTo(201);
    Await.until(
        () -> api.get("/api/models/churn/deployments/nightly").text("status"),
        "active"::equals,
        LIMIT);
    Jdbi jdbi = jdbi(database);
    // first sight: counts from the latest tick, fires from the next one
    Await.until(() -> lastTick(jdbi), Optional::isPresent, LIMIT);
    assertThat(fake.starts()).isEmpty();

    clock.set(Instant.parse("2026-03-01T10:01:05Z"));
    long pid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    assertThat(fake.args(pid))
        .containsSequence("--airflow-run-id", "scheduled__2026-03-01T10:01:00+00:00")
        .containsSequence("--logical-date", "2026-03-01T10:01:00+00:00")
        .contains("score", "--model", "churn", "--deployment", "nightly");
    fake.release(pid, 0);
    Await.until(() -> runs(jdbi, "success"), n -> n == 1, LIMIT);

    servers.remove(0).close();
    clock.set(Instant.parse("2026-03-01T10:01:50Z"));
    ApiClient again = start(database, 1, clock);
    Await.until(() -> again.get("/api/health/ready").status(), s -> s == 200, LIMIT);
    clock.set(Instant.parse("2026-03-01T10:02:00Z"));
    long next = Await.until(fake::starts, s -> s.size() == 2, LIMIT).get(1);
    assertThat(fake.args(next)).contains("scheduled__2026-03-01T10:02:00+00:00");
    fake.release(next, 0);
    Await.until(() -> runs(jdbi, "success"), n -> n == 2, LIMIT);
    assertThat(runIds(jdbi))
        .containsExactly(
            "scheduled__2026-03-01T10:01:00+00:00", "scheduled__2026-03-01T10:02:00+00:00");
  }

  @Test
  void ticksDoNotPileUpBehindARunningRunAndTheLatestFiresOnceItEnded() throws Exception {
    DatabaseConfig database = TestDatabases.h2();
    TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:30Z"));
    ApiClient api = start(database, 2, clock);
    Map<String, Object> request = deployment("busy");
    request.put("schedule", "* * * * *");
    api.post("/api/models/churn/deployments", request);
    Await.until(
        () -> api.get("/api/models/churn/deployments/busy").text("status"),
        "active"::equals,
        LIMIT);
    Jdbi jdbi = jdbi(database);
    Await.until(() -> lastTick(jdbi), Optional::isPresent, LIMIT);

    clock.set(Instant.parse("2026-03-01T10:01:05Z"));
    long slow = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    // the 10:02 and 10:03 ticks come while the 10:01 run still runs (a free slot is left)
    for (String at : List.of("2026-03-01T10:02:05Z", "2026-03-01T10:03:05Z")) {
      clock.set(Instant.parse(at));
      Thread.sleep(500); // several passes of the 50 ms poll
    }
    assertThat(runIds(jdbi)).containsExactly("scheduled__2026-03-01T10:01:00+00:00");

    fake.release(slow, 0);
    long latest = Await.until(fake::starts, s -> s.size() == 2, LIMIT).get(1);
    assertThat(fake.args(latest)).contains("scheduled__2026-03-01T10:03:00+00:00");
    fake.release(latest, 0);
    Await.until(() -> runs(jdbi, "success"), n -> n == 2, LIMIT);
    assertThat(runIds(jdbi))
        .containsExactly(
            "scheduled__2026-03-01T10:01:00+00:00", "scheduled__2026-03-01T10:03:00+00:00");
  }

  @Test
  void aStoppedDeploymentDoesNotFireAndArchiveDropsWhatIsQueued() {
    DatabaseConfig database = TestDatabases.h2();
    TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:30Z"));
    ApiClient api = start(database, 1, clock);
    Map<String, Object> request = deployment("paused");
    request.put("schedule", "* * * * *");
    api.post("/api/models/churn/deployments", request);
    String path = "/api/models/churn/deployments/paused";
    Await.until(() -> api.get(path).text("status"), "active"::equals, LIMIT);
    Jdbi jdbi = jdbi(database);
    Await.until(() -> lastTick(jdbi), Optional::isPresent, LIMIT);
    assertThat(api.post(path + "/stop", null).text("status")).isEqualTo("stopped");

    clock.set(Instant.parse("2026-03-01T10:05:05Z"));
    // A manual run of another job fills the slot, so what the schedule queues waits.
    api.post(JOBS, job("busy", true));
    long busy = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    assertThat(runIds(jdbi)).hasSize(1); // the training run only: the stopped schedule did not fire

    api.post(path + "/start", null);
    Await.until(() -> runIds(jdbi), ids -> ids.size() == 2, LIMIT);
    assertThat(runIds(jdbi)).contains("scheduled__2026-03-01T10:05:00+00:00");
    api.delete(path);
    Await.until(() -> runs(jdbi, "queued"), n -> n == 0, LIMIT);
    fake.release(busy, 0);
    Await.until(() -> runs(jdbi, "success"), n -> n == 1, LIMIT);
    assertThat(fake.starts()).hasSize(1);
  }

  @Test
  void aRestartEndsTheChildAKilledServerLeftAndRunsQueuedWorkOnce() throws Exception {
    DatabaseConfig database = TestDatabases.h2();
    ApiClient api = start(database, 1, Clock.systemUTC());
    String running = api.post(JOBS, job("left-running", true)).text("job_id");
    long pid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    String queued = api.post(JOBS, job("queued", true)).text("job_id");
    Jdbi jdbi = jdbi(database);
    Await.until(() -> runs(jdbi, "queued"), n -> n == 1, LIMIT);
    servers.remove(0).close(); // a clean stop ends its child and fails its run
    assertThat(FakeTask.running(pid)).isFalse();

    // What a SIGKILL leaves behind: the run still 'running' with a live child of its own.
    Process orphan = new ProcessBuilder("sleep", "300").start();
    Instant orphanStart = orphan.info().startInstant().orElseThrow();
    jdbi.useHandle(
        h -> {
          h.createUpdate(
                  "UPDATE local_runs SET state = 'running', pid = :pid, pid_started_at = :at,"
                      + " ended_at = NULL, reason = NULL WHERE dag_id = :dag")
              .bind("pid", orphan.pid())
              .bind("at", orphanStart)
              .bind("dag", "modelplane-training-" + running)
              .execute();
          h.createUpdate(
                  "UPDATE training_jobs SET status = 'running', error_message = NULL"
                      + " WHERE job_id = :id")
              .bind("id", java.util.UUID.fromString(running))
              .execute();
        });

    ApiClient restarted = start(database, 1, Clock.systemUTC());

    JsonNode failed =
        Await.until(
            () -> restarted.get(JOBS + "/" + running).body(),
            body -> "failed".equals(body.get("status").asText()),
            LIMIT);
    assertThat(failed.get("error_message").asText())
        .contains("the server stopped while the task ran")
        .contains("pid " + orphan.pid());
    assertThat(orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    long second = Await.until(fake::starts, s -> s.size() == 2, LIMIT).get(1);
    assertThat(fake.args(second)).contains(queued);
    fake.release(second, 0);
    Await.until(() -> runs(jdbi, "success"), n -> n == 1, LIMIT);
    assertThat(fake.starts()).hasSize(2);
  }

  @Test
  void anApiJobsTriggerRunsTheDataengDagsSqlTaskAsAManualRunAndItsScheduleFires() {
    DatabaseConfig database = TestDatabases.h2();
    TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:30.123456Z"));
    ApiClient api = start(database, 1, clock);
    Map<String, Object> request = dataengJob("region-totals");
    request.put("schedule", "* * * * *");
    JsonNode created = api.post("/api/jobs", request).body();
    String jobId = created.get("id").asText();
    Jdbi jdbi = jdbi(database);
    Await.until(() -> lastTick(jdbi), Optional::isPresent, LIMIT); // first sight of its schedule

    ApiResponse pending = api.post("/api/jobs/" + jobId + "/trigger", null);

    assertThat(pending.status()).isEqualTo(200);
    assertThat(pending.text("status")).isEqualTo("pending");
    String manual = "manual__2026-03-01T10:00:30.123456+00:00";
    assertThat(pending.text("airflow_dag_run_id")).isEqualTo(manual);
    long pid = Await.until(fake::starts, s -> s.size() == 1, LIMIT).get(0);
    List<String> args = fake.args(pid);
    assertThat(args.subList(0, 11))
        .containsExactly(
            "-jar",
            dir.resolve("helper.jar").toString(),
            "wrap",
            "--job",
            jobId,
            "--",
            fake.executable(),
            "-jar",
            dir.resolve("runner.jar").toString(),
            "sql",
            "--job-json");
    JsonNode jobJson = read(args.get(11));
    assertThat(jobJson.get("job_id").asText()).isEqualTo(jobId);
    assertThat(jobJson.get("source").asText()).isEqualTo("sales.orders");
    assertThat(jobJson.get("destination").asText()).isEqualTo("reports.region_totals");
    assertThat(jobJson.get("sql").asText()).startsWith("SELECT region");
    assertThat(fake.env(pid))
        .contains(
            "AIRFLOW_CTX_DAG_ID=" + created.get("dag_id").asText(),
            "AIRFLOW_CTX_DAG_RUN_ID=" + manual);
    fake.release(pid, 3); // the task did not report: the executor records the failure
    JsonNode failed =
        Await.until(
            () -> api.get("/api/jobs/" + jobId).body(),
            body -> "failed".equals(body.get("status").asText()),
            LIMIT);
    assertThat(failed.get("status_message").asText()).contains("the task exited with code 3");

    clock.set(Instant.parse("2026-03-01T10:01:05Z"));
    long tick = Await.until(fake::starts, s -> s.size() == 2, LIMIT).get(1);
    assertThat(fake.args(tick)).contains("sql", jobId);
    assertThat(fake.env(tick))
        .contains("AIRFLOW_CTX_DAG_RUN_ID=scheduled__2026-03-01T10:01:00+00:00");
    fake.release(tick, 0);
    Await.until(() -> runs(jdbi, "success"), n -> n == 1, LIMIT);

    assertThat(api.delete("/api/jobs/" + jobId).status()).isEqualTo(204);
    Await.until(() -> lastTick(jdbi), Optional::isEmpty, LIMIT); // its schedule is forgotten
  }

  @Test
  void aJobWithoutARenderedDagIsRefusedInLocalModeAndLeftUnchanged() {
    ApiClient api = start(TestDatabases.h2(), 1, Clock.systemUTC());
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("job_type", "airflow.ingest");
    request.put("job_name", "nightly-ingest");
    request.put("properties_json", Map.of("dag_id", "ingest_crm"));
    String jobId = api.post("/api/jobs", request).text("id");

    ApiResponse refused = api.post("/api/jobs/" + jobId + "/trigger", null);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.rawBody())
        .contains("runs only airflow.dataeng jobs")
        .contains("airflow.ingest")
        .contains("MODELPLANE_AIRFLOW_URL");
    JsonNode job = api.get("/api/jobs/" + jobId).body();
    assertThat(job.get("status").asText()).isEqualTo("new");
    assertThat(job.get("attempt").asInt()).isZero();
  }

  @Test
  void triggersWithinOneMicrosecondGetDistinctManualRunIdsInAirflowsForm() {
    DatabaseConfig database = TestDatabases.h2();
    TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:30Z")); // stands still
    ApiClient api = start(database, 1, clock);
    api.post("/api/models/churn/deployments", deployment("twice"));
    String path = "/api/models/churn/deployments/twice";
    Await.until(() -> api.get(path).text("status"), "active"::equals, LIMIT);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ApiResponse run = api.post(path + "/trigger", Map.of());
      assertThat(run.status()).isEqualTo(202);
      ids.add(run.text("airflow_run_id"));
    }
    String training = api.post(JOBS, job("also-manual", true)).text("airflow_dag_run_id");

    assertThat(ids)
        .containsExactly(
            "manual__2026-03-01T10:00:30+00:00",
            "manual__2026-03-01T10:00:30.000001+00:00",
            "manual__2026-03-01T10:00:30.000002+00:00");
    assertThat(training).isEqualTo("manual__2026-03-01T10:00:30+00:00"); // another DAG
    List<List<String>> ran = new ArrayList<>();
    for (int i = 1; i <= 4; i++) { // three scoring runs and the training run, in the outbox's order
      int count = i;
      long pid = Await.until(fake::starts, s -> s.size() == count, LIMIT).get(i - 1);
      ran.add(fake.args(pid));
      fake.release(pid, 0);
    }
    assertThat(ran)
        .anySatisfy(
            args ->
                assertThat(args)
                    .containsSequence("--airflow-run-id", ids.get(0))
                    .containsSequence("--run-id", ids.get(0))
                    .containsSequence("--logical-date", "2026-03-01T10:00:30+00:00"))
        .anySatisfy(
            args ->
                assertThat(args)
                    .containsSequence("--run-id", ids.get(1))
                    .containsSequence("--logical-date", "2026-03-01T10:00:30.000001+00:00"));
  }

  private ApiClient start(DatabaseConfig database, int slots, Clock clock) {
    if (fake == null) {
      fake = FakeTask.create(dir);
      tasks.add(fake);
    }
    ServerConfig config =
        TestServer.withExecutor(
            TestServer.config(database, Optional.empty()),
            ExecutorConfig.local(
                slots,
                fake.executable(),
                dir.resolve("runner.jar"),
                dir.resolve("helper.jar"),
                Duration.ofMillis(50)));
    ModelplaneServer server = ModelplaneServer.start(config, clock);
    servers.add(server);
    return new ApiClient(server.baseUri()).withPsk(TestServer.PSK);
  }

  private static Jdbi jdbi(DatabaseConfig database) {
    return Jdbi.create(database.url(), database.user(), database.password());
  }

  private static Optional<Instant> lastTick(Jdbi jdbi) {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT last_tick FROM local_schedules").mapTo(Instant.class).findOne());
  }

  private static int runs(Jdbi jdbi, String state) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM local_runs WHERE state = :s")
                .bind("s", state)
                .mapTo(Integer.class)
                .one());
  }

  private static List<String> runIds(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT dag_run_id FROM local_runs ORDER BY run_key")
                .mapTo(String.class)
                .list());
  }

  private static String dagOf(JsonNode job) {
    return job.get("airflow_dag_id").asText();
  }

  private static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, Object> job(String name, boolean triggerNow) {
    Map<String, Object> request = SampleRequests.trainingJobNamed(name);
    request.put("trigger_now", triggerNow);
    return request;
  }

  private static Map<String, Object> dataengJob(String name) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("job_type", "airflow.dataeng");
    request.put("job_name", name);
    request.put("source", "sales.orders");
    request.put("destination", "reports.region_totals");
    request.put(
        "properties_json",
        Map.of("sql", "SELECT region, COUNT(*) AS orders FROM sales.orders GROUP BY region"));
    return request;
  }

  private static Map<String, Object> deployment(String name) {
    return SampleRequests.deployment("churn", name);
  }
}
