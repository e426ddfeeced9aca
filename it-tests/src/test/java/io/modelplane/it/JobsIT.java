package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.Jobs;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.JobCreate;
import io.modelplane.client.model.JobResponse;
import io.modelplane.client.model.JobStatus;
import io.modelplane.client.model.JobType;
import io.modelplane.testsupport.airflow.AirflowTaskRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/jobs} end to end: the Nx1 SDK's call sequence through client-sdk and the dag-helper
 * jar, and an {@code airflow.dataeng} job run through its server-rendered DAG under the Airflow
 * stand-in with the built dag-helper and runner jars, its destination Iceberg table read back with
 * {@code runner table export}. Airflow's REST API is WireMock (the trigger), its task execution the
 * stand-in.
 */
class JobsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ExternalSystems externals;
  private static ServerUnderTest server;
  private static ModelplaneClient client;

  @BeforeAll
  static void start() {
    externals = new ExternalSystems();
    server = ServerUnderTest.onPostgres("jobs", externals.airflowEnv());
    client = server.client();
  }

  @AfterEach
  void everyExchangeKeptTheContract() {
    server.assertContractKept();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (externals != null) {
      externals.close();
    }
  }

  @Test
  void theNx1SdkCallSequenceCreatesListsReportsWaitsAndDeletes() throws Exception {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("connector", "postgres");
    properties.put("tables", List.of("orders", "customers"));
    JobResponse created =
        client
            .jobs()
            .create(
                new JobCreate()
                    .jobType(JobType.AIRFLOW_INGEST)
                    .jobName("nightly-ingest")
                    .source("postgres://crm")
                    .destination("lake.crm")
                    .propertiesJson(properties));
    assertThat(created.getStatus()).isEqualTo(JobStatus.NEW);
    assertThat(created.getPropertiesJson()).isEqualTo(properties);

    List<JobResponse> all = client.jobs().list();
    assertThat(all).extracting(JobResponse::getId).contains(created.getId());

    client.jobs().updateStatus(created.getId(), JobStatus.RUNNING, null);
    CompletableFuture<JobResponse> finished =
        CompletableFuture.supplyAsync(() -> client.jobs().waitForCompletion(created.getId(), WAIT));
    DagHelperCli.Result completed =
        server
            .dagHelper()
            .run(
                "job-status",
                "--job-id",
                created.getId().toString(),
                "--status",
                "completed",
                "--status-message",
                "2 tables copied");
    assertThat(completed.exitCode()).as(completed.toString()).isZero();
    JobResponse done = finished.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(done.getStatus()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.getStatusMessage()).isEqualTo("2 tables copied");
    assertThat(done.getLastStartedAt()).isNotNull();
    assertThat(done.getLastCompletedAt()).isNotNull();
    assertThat(Jobs.isFinished(done.getStatus())).isTrue();

    client.jobs().delete(created.getId());
    assertThat(client.jobs().get(created.getId()).getIsDeleted()).isTrue();
    assertThat(client.jobs().list()).extracting(JobResponse::getId).doesNotContain(created.getId());
  }

  @Test
  void aDataengJobRunsThroughItsRenderedDagAndWritesItsDestinationTable() throws Exception {
    Path work = Files.createTempDirectory(BuiltJars.workDir().toAbsolutePath(), "dataeng-");
    Path warehouse = work.resolve("warehouse");
    Map<String, String> runnerEnv = Map.of("MODELPLANE_ICEBERG_WAREHOUSE", warehouse.toString());
    Path csv = work.resolve("orders.csv");
    List<String> lines = new ArrayList<>(List.of("order_id,region,amount"));
    for (int i = 1; i <= 100; i++) {
      lines.add(i + "," + (i % 2 == 0 ? "EU" : "US") + "," + i);
    }
    Files.write(csv, lines);
    RunnerProcess imported =
        runner(runnerEnv, "table", "import", "--table", "sales.orders", "--csv", csv.toString());
    assertThat(imported.exitCode()).as(imported.output()).isZero();

    JobResponse job =
        client
            .jobs()
            .create(
                new JobCreate()
                    .jobType(JobType.AIRFLOW_DATAENG)
                    .jobName("region-totals")
                    .source("sales.orders")
                    .destination("reports.region_totals")
                    .propertiesJson(
                        Map.of(
                            "sql",
                            "SELECT region, COUNT(*) AS orders, SUM(amount) AS total"
                                + " FROM sales.orders GROUP BY region")));
    JobResponse pending = client.jobs().trigger(job.getId());
    assertThat(pending.getStatus()).isEqualTo(JobStatus.PENDING);
    Path dagFile = work.resolve(job.getDagId() + ".py");
    Files.writeString(dagFile, client.jobs().get(job.getId()).getRenderedDag());

    Map<String, String> taskEnv = new LinkedHashMap<>(runnerEnv);
    taskEnv.put("MODELPLANE_URL", server.baseUrl());
    taskEnv.put("MODELPLANE_PSK", server.psk());
    taskEnv.put("MODELPLANE_JAVA", ChildJvm.launcher().toString());
    taskEnv.put("MODELPLANE_DAG_HELPER_JAR", BuiltJars.dagHelper().toString());
    taskEnv.put("MODELPLANE_RUNNER_JAR", BuiltJars.runner().toString());
    AirflowTaskRunner.TaskResult task;
    try (AirflowTaskRunner airflow = AirflowTaskRunner.create()) {
      task =
          airflow.run(
              dagFile,
              "run_sql",
              pending.getAirflowDagRunId(),
              "{\"job_id\":\"" + job.getId() + "\",\"attempt\":1}",
              taskEnv);
    }

    assertThat(task.succeeded()).as(task.output()).isTrue();
    JobResponse completed = client.jobs().waitForCompletion(job.getId(), WAIT);
    assertThat(completed.getStatus())
        .as(completed.getStatusMessage())
        .isEqualTo(JobStatus.COMPLETED);
    Path exported = work.resolve("totals.csv");
    RunnerProcess export =
        runner(
            runnerEnv,
            "table",
            "export",
            "--table",
            "reports.region_totals",
            "--csv",
            exported.toString());
    assertThat(export.exitCode()).as(export.output()).isZero();
    List<String> rows = Files.readAllLines(exported, StandardCharsets.UTF_8);
    assertThat(rows.get(0)).isEqualTo("region,orders,total");
    assertThat(rows.subList(1, rows.size())).containsExactlyInAnyOrder("EU,50,2550", "US,50,2500");
  }

  record RunnerProcess(int exitCode, String output) {}

  private static RunnerProcess runner(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = ChildJvm.command();
    command.add("-jar");
    command.add(BuiltJars.runner().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("MODELPLANE_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    return new RunnerProcess(process.exitValue(), output);
  }
}
