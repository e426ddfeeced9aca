package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.testsupport.process.ServerJarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server process dying and being replaced: SIGKILL with outbox work pending, SIGTERM with a
 * request in flight, and a new server on an existing database (migrations). Each test has a server
 * and a PostgreSQL database of its own.
 */
class ServerRestartIT {
  /** "version:true" of every migration the server ships (its source folder), in order. */
  private static final List<String> MIGRATIONS = shippedMigrations();

  private static List<String> shippedMigrations() {
    Path folder = Path.of("..", "server", "src", "main", "resources", "db", "migration");
    try (var files = Files.list(folder)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.matches("V\\d+__.*\\.sql"))
          .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
          .sorted()
          .map(version -> version + ":true")
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * A task being attempted when the process died stays leased for 2 minutes (the outbox's lease),
   * then another worker takes it. The test kills between attempts, so this is only a margin.
   */
  private static final Duration AFTER_RESTART = Duration.ofSeconds(150);

  private static final List<String> TABLES =
      List.of(
          "deployment_events",
          "deployment_runs",
          "deployments",
          "outbox_tasks",
          "training_job_events",
          "training_jobs",
          "user_psks");

  @Test
  void aServerKilledWithSigkillLosesNothingCommittedAndItsSuccessorDeliversThePendingOutbox()
      throws Exception {
    try (ExternalSystems externals = new ExternalSystems();
        ServerUnderTest server = ServerUnderTest.onPostgres("sigkill", externals.allEnv())) {
      ModelplaneClient client = server.client();
      String model = Fixtures.unique("churn");
      String name = Fixtures.unique("killed");
      externals.mlflowVersion(model, "5");
      externals.airflowDown();

      // Committed before the kill: five triggered jobs, one finished job, a deployment and a run.
      List<AutoMLTrainingJobResponse> queued = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        queued.add(client.trainingJobs().create(Fixtures.job("killed", true)));
      }
      UUID finished = client.trainingJobs().create(Fixtures.job("done", false)).getJobId();
      client
          .trainingJobs()
          .updateStatus(
              finished, new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.RUNNING));
      client
          .trainingJobs()
          .updateStatus(
              finished,
              new AutoMLTrainingStatusUpdate()
                  .status(AutoMLTrainingJobStatus.COMPLETE)
                  .mlflowRunId("mlf-before-kill"));
      DeploymentResponse deployment =
          client.deployments().create(model, Fixtures.deployment(name, model, "5"));
      DeploymentRunSummary run = client.deployments().trigger(model, name, null);
      PostgresDatabase db = server.database();
      // Five training triggers and the DAG's publication fail and are retried; the run waits
      // behind the publication (the tasks of one deployment run in order).
      Await.until(
          "the six due outbox tasks to have failed at least twice",
          WAIT,
          () ->
              db.number(
                      "SELECT count(*) FROM outbox_tasks WHERE state = 'pending' AND attempts >= 2"
                          + " AND kind IN ('trigger_training', 'publish_dag')")
                  == 6);
      assertThat(db.number("SELECT count(*) FROM outbox_tasks WHERE state = 'pending'"))
          .isEqualTo(7);
      // Kill between two attempts (a task being attempted is leased for 2 minutes).
      Await.until(
          "no outbox task to be leased",
          WAIT,
          () ->
              db.number(
                      "SELECT count(*) FROM outbox_tasks WHERE state = 'pending'"
                          + " AND next_attempt_at > now() + interval '60 seconds'")
                  == 0);
      long pid = server.server().pid();
      server.server().kill();
      System.out.println("[modelplane-it] sigkill: killed server pid " + pid);
      assertThat(server.server().isAlive()).isFalse();
      assertThat(db.number("SELECT count(*) FROM outbox_tasks WHERE state = 'pending'"))
          .isEqualTo(7);

      // Airflow is back; a new server process on the same database.
      externals.airflowHealthy();
      server.startAgain(Map.of());

      for (AutoMLTrainingJobResponse job : queued) {
        Await.until(
            "the trigger of " + job.getJobId() + " to reach Airflow",
            AFTER_RESTART,
            () -> externals.successfulTriggers(job.getAirflowDagRunId()) == 1);
        AutoMLTrainingJobResponse now = client.trainingJobs().get(job.getJobId());
        assertThat(now.getStatus()).isEqualTo(AutoMLTrainingJobStatus.QUEUED);
        assertThat(now.getCreatedAt()).isEqualTo(job.getCreatedAt());
      }
      Await.value(
          "the deployment to be active",
          AFTER_RESTART,
          () -> client.deployments().get(model, name),
          d -> d.getStatus() == DeploymentStatus.ACTIVE);
      Await.until(
          "the run to reach Airflow",
          AFTER_RESTART,
          () -> externals.successfulTriggers(run.getAirflowRunId()) == 1);
      AutoMLTrainingJobResponse done = client.trainingJobs().get(finished);
      assertThat(done.getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
      assertThat(done.getMlflowRunId()).isEqualTo("mlf-before-kill");
      assertThat(client.trainingJobs().events(finished)).hasSize(3);
      assertThat(client.deploymentRuns().get(model, name, run.getRunId()).getAirflowRunId())
          .isEqualTo(run.getAirflowRunId());
      assertThat(client.deployments().get(model, name).getDeploymentId())
          .isEqualTo(deployment.getDeploymentId());
      Await.until(
          "the outbox to be empty",
          WAIT,
          () -> db.number("SELECT count(*) FROM outbox_tasks WHERE state <> 'done'") == 0);
      Await.sleep(300);
      for (AutoMLTrainingJobResponse job : queued) {
        assertThat(externals.successfulTriggers(job.getAirflowDagRunId())).isEqualTo(1);
      }
      assertThat(externals.successfulTriggers(run.getAirflowRunId())).isEqualTo(1);
      server.assertContractKept();
    }
  }

  @Test
  void sigtermLetsAnInFlightDeploymentCreateFinishWith201BeforeTheProcessExits() throws Exception {
    try (ExternalSystems externals = new ExternalSystems();
        ServerUnderTest server = ServerUnderTest.onPostgres("sigterm", externals.mlflowEnv())) {
      String model = Fixtures.unique("churn");
      String name = Fixtures.unique("graceful");
      externals.mlflowVersion(model, "8", 2000); // MLflow takes 2 s to answer
      ModelplaneClient client = server.clientWithoutRetries();

      CompletableFuture<DeploymentResponse> create =
          CompletableFuture.supplyAsync(
              () -> client.deployments().create(model, Fixtures.deployment(name, model, "8")));
      Await.until(
          "the create to be waiting for MLflow",
          WAIT,
          () -> externals.mlflowVersionChecks(model) == 1);
      long sent = System.nanoTime();
      server.server().terminate(); // SIGTERM while the request is in flight

      DeploymentResponse created = create.get(30, TimeUnit.SECONDS);
      int exitCode = server.server().awaitExit(Duration.ofSeconds(30));
      long millis = (System.nanoTime() - sent) / 1_000_000;
      System.out.println(
          "[modelplane-it] sigterm: the in-flight create answered and the process exited "
              + exitCode
              + " after "
              + millis
              + " ms");

      assertThat(created.getName()).isEqualTo(name);
      assertThat(created.getStatus()).isEqualTo(DeploymentStatus.ACTIVE);
      assertThat(server.proxy().count(201)).isEqualTo(1);
      assertThat(server.server().log()).contains("Modelplane stopped");
      assertThat(
              server
                  .database()
                  .number(
                      "SELECT count(*) FROM deployments WHERE model_name = ? AND name = ?",
                      model,
                      name))
          .isEqualTo(1);
      server.assertContractKept();
    }
  }

  @Test
  void migrationsBuildAnEmptyDatabaseAndAreReappliedIdempotentlyByTheNextServer() {
    PostgresDatabase db = PostgresDatabase.create();
    assertThat(tables(db)).isEmpty();
    try (ServerUnderTest server = ServerUnderTest.start("migrations", db, Map.of())) {
      assertThat(server.server().log())
          .contains("(" + MIGRATIONS.size() + " migrations applied now)");
      assertThat(tables(db)).containsAll(TABLES);
      List<Map<String, Object>> history = history(db);
      assertThat(history)
          .extracting(row -> row.get("version") + ":" + row.get("success"))
          .containsExactlyElementsOf(MIGRATIONS);
      UUID jobId =
          server.client().trainingJobs().create(Fixtures.job("survivor", false)).getJobId();

      server.server().close();
      server.startAgain(Map.of());

      assertThat(server.server().log()).contains("(0 migrations applied now)");
      assertThat(history(db)).isEqualTo(history);
      assertThat(server.client().trainingJobs().get(jobId).getStatus())
          .isEqualTo(AutoMLTrainingJobStatus.READY);
      server.assertContractKept();
    }
  }

  @Test
  void twoServersStartingAtOnceOnTheSameEmptyDatabaseMigrateItOnce() throws Exception {
    // A rolling deployment: two new server processes on one new database at the same moment.
    try (PostgresDatabase db = PostgresDatabase.create()) {
      List<CompletableFuture<ServerJarProcess>> starting = new ArrayList<>();
      List<Path> dataDirs = new ArrayList<>();
      for (String name : List.of("migrate-race-a", "migrate-race-b")) {
        Map<String, String> env = new java.util.HashMap<>(db.serverEnv());
        env.put("MODELPLANE_PLATFORM_PSK", "it-psk-" + UUID.randomUUID());
        dataDirs.add(Files.createTempDirectory("modelplane-it-" + name + "-"));
        env.put("MODELPLANE_DATA_DIR", dataDirs.get(dataDirs.size() - 1).toString());
        starting.add(CompletableFuture.supplyAsync(() -> ServerProcess.start(name, env)));
      }
      List<ServerJarProcess> servers = new ArrayList<>();
      try {
        for (CompletableFuture<ServerJarProcess> future : starting) {
          servers.add(future.get(2, TimeUnit.MINUTES));
        }
        assertThat(history(db))
            .extracting(row -> row.get("version") + ":" + row.get("success"))
            .containsExactlyElementsOf(MIGRATIONS);
        assertThat(servers)
            .extracting(
                server ->
                    server.log().contains("(" + MIGRATIONS.size() + " migrations applied now)")
                        ? 3
                        : server.log().contains("(0 migrations applied now)") ? 0 : -1)
            .containsExactlyInAnyOrder(3, 0);
        for (ServerJarProcess server : servers) {
          try (ContractProxy proxy = ContractProxy.start(server.baseUrl())) {
            assertThat(
                    ModelplaneClient.builder().baseUrl(proxy.baseUrl()).build().ping().getStatus())
                .isEqualTo("ok");
            proxy.assertNoViolations();
          }
        }
      } finally {
        for (CompletableFuture<ServerJarProcess> future : starting) {
          future.thenAccept(ServerJarProcess::close).exceptionally(e -> null).join();
        }
        dataDirs.forEach(ServerUnderTest::deleteRecursively);
      }
    }
  }

  private static List<String> tables(PostgresDatabase db) {
    return db
        .rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " ORDER BY table_name")
        .stream()
        .map(row -> (String) row.get("table_name"))
        .toList();
  }

  private static List<Map<String, Object>> history(PostgresDatabase db) {
    return db.rows(
        "SELECT version, description, checksum, success, installed_on"
            + " FROM flyway_schema_history ORDER BY installed_rank");
  }
}
