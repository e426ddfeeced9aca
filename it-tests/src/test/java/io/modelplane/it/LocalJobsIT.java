package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.Jobs;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.JobCreate;
import io.modelplane.client.model.JobResponse;
import io.modelplane.client.model.JobStatus;
import io.modelplane.client.model.JobType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/jobs} on the embedded default: an {@code airflow.dataeng} job triggered through the
 * API runs its rendered DAG's task ({@code runner sql} inside {@code dag-helper wrap --job}) as a
 * child process of the server (the local executor, real Spark local[2]), reports through the job's
 * status writeback, and writes its destination Iceberg table, read back with {@code runner table
 * export}. The run is named as Airflow names a manual run, and the job's cron schedule fires a run
 * named as Airflow names a scheduled one. Two Spark children in all.
 */
class LocalJobsIT {
  private static final Duration RUN = Duration.ofMinutes(4);
  private static final String AIRFLOW_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d";

  private static EmbeddedLocal local;
  private static ServerUnderTest server;
  private static Path work;
  private static RunnerCli runner;

  @BeforeAll
  static void start() throws IOException {
    local = EmbeddedLocal.start("local-jobs");
    server = local.server();
    work = local.work();
    runner = local.runner();
    Path csv = work.resolve("orders.csv");
    List<String> lines = new ArrayList<>(List.of("order_id,region,amount"));
    for (int i = 1; i <= 100; i++) {
      lines.add(i + "," + (i % 2 == 0 ? "EU" : "US") + "," + i);
    }
    Files.write(csv, lines);
    local.importCsv("sales.orders", csv);
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void aDataengJobTriggeredThroughTheApiRunsRunnerSqlLocallyAndItsScheduleFires()
      throws IOException {
    ModelplaneClient client = server.client();
    JobResponse job =
        client
            .jobs()
            .create(
                new JobCreate()
                    .jobType(JobType.AIRFLOW_DATAENG)
                    .jobName("region-totals")
                    .source("sales.orders")
                    .destination("reports.region_totals")
                    .schedule("* * * * *")
                    .propertiesJson(
                        Map.of(
                            "sql",
                            "SELECT region, COUNT(*) AS orders, SUM(amount) AS total"
                                + " FROM sales.orders GROUP BY region")));

    JobResponse pending = client.jobs().trigger(job.getId());

    assertThat(pending.getStatus()).isEqualTo(JobStatus.PENDING);
    assertThat(pending.getAirflowDagRunId())
        .matches("^manual__" + AIRFLOW_TIME + "(\\.\\d{6})?\\+00:00$");
    JobResponse completed = client.jobs().waitForCompletion(job.getId(), RUN);
    assertThat(completed.getStatus())
        .as(completed.getStatusMessage())
        .isEqualTo(JobStatus.COMPLETED);
    assertThat(completed.getLastStartedAt()).isNotNull();
    Path exported = work.resolve("totals.csv");
    RunnerCli.Result export =
        runner.run(
            "table", "export", "--table", "reports.region_totals", "--csv", exported.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    List<String> rows = Files.readAllLines(exported, StandardCharsets.UTF_8);
    assertThat(rows.get(0)).isEqualTo("region,orders,total");
    assertThat(rows.subList(1, rows.size())).containsExactlyInAnyOrder("EU,50,2550", "US,50,2500");

    // The schedule: the first tick after the job was seen fires once, named scheduled__<tick>.
    JobResponse afterTick =
        Await.value(
            "a scheduled run of " + job.getDagId() + " ended",
            RUN,
            () -> client.jobs().get(job.getId()),
            now ->
                now.getLastStartedAt().isAfter(completed.getLastStartedAt())
                    && Jobs.isFinished(now.getStatus()));
    client.jobs().delete(job.getId()); // no further ticks
    assertThat(afterTick.getStatus())
        .as(afterTick.getStatusMessage())
        .isEqualTo(JobStatus.COMPLETED);
    Path logs = server.dataDir().resolve("local-runs").resolve(job.getDagId());
    assertThat(scheduledRuns(logs))
        .isNotEmpty()
        .allSatisfy(
            log ->
                assertThat(log) // the run id as a file name: ':' and '+' written as '_'
                    .matches("^scheduled__\\d{4}-\\d\\d-\\d\\dT\\d\\d_\\d\\d_00_00_00\\.log$"));
    server.assertContractKept();
  }

  /** The log files of the DAG's scheduled runs, named after their run ids. */
  private static List<String> scheduledRuns(Path logs) {
    if (!Files.isDirectory(logs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(logs)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.startsWith("scheduled__"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
