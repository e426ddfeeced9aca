package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.BatchRunCallback;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many DAG tasks reporting at once: 50 training jobs and 50 deployments, then two waves of 600
 * concurrent writebacks and run callbacks each (duplicates of the same report racing each other,
 * different runs of one deployment racing for its row) from 128 client threads, without retries.
 * Every request must answer 2xx, every final state and every event and run row must be exact.
 */
class ConcurrencyIT {

  private static final int JOBS = 50;
  private static final int DEPLOYMENTS = 50;
  private static final int RUNS_PER_DEPLOYMENT = 4;
  private static final int COPIES = 2; // every callback is delivered twice, concurrently
  private static final int WRITEBACKS_PER_JOB = 4; // the same writeback, four times at once
  private static final int THREADS = 128;

  private static ServerUnderTest server;
  private static ModelplaneClient client;

  @BeforeAll
  static void start() {
    // No Airflow and no MLflow: deployments are active at once, pinned versions taken as given.
    server = ServerUnderTest.onPostgres("concurrency", Map.of());
    client =
        server
            .clientBuilder()
            .retryPolicy(io.modelplane.client.RetryPolicy.none())
            .requestTimeout(Duration.ofSeconds(60))
            .build();
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
  }

  @Test
  void twelveHundredConcurrentWritebacksAndCallbacksLeaveExactStatesAndRowsWithout5xx()
      throws Exception {
    String model = Fixtures.unique("scoring");
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      // 50 jobs and 50 deployments, created concurrently too.
      List<Callable<Object>> creates = new ArrayList<>();
      List<UUID> jobIds = Collections.synchronizedList(new ArrayList<>());
      List<String> names =
          IntStream.range(0, DEPLOYMENTS)
              .mapToObj(i -> Fixtures.unique("conc" + i))
              .collect(Collectors.toList());
      for (int i = 0; i < JOBS; i++) {
        creates.add(
            () -> jobIds.add(client.trainingJobs().create(Fixtures.job("conc", false)).getJobId()));
      }
      for (String name : names) {
        creates.add(
            () -> client.deployments().create(model, Fixtures.deployment(name, model, "1")));
      }
      // Setup, not the scenario: created 16 at a time (a cold server and a 10-connection pool).
      ExecutorService setup = Executors.newFixedThreadPool(16);
      try {
        runAllAtOnce(setup, creates, "create", 16);
      } finally {
        setup.shutdownNow();
      }
      assertThat(jobIds).hasSize(JOBS);

      // Wave 1: every job starts (4 copies each), every deployment starts 4 runs (2 copies each).
      List<Callable<Object>> wave1 = new ArrayList<>();
      for (UUID jobId : jobIds) {
        for (int c = 0; c < WRITEBACKS_PER_JOB; c++) {
          wave1.add(() -> writeback(jobId, AutoMLTrainingJobStatus.RUNNING, null));
        }
      }
      for (String name : names) {
        for (int r = 0; r < RUNS_PER_DEPLOYMENT; r++) {
          String runId = airflowRunId(name, r);
          for (int c = 0; c < COPIES; c++) {
            wave1.add(() -> callback(model, name, runId, DeploymentRunStatus.RUNNING, null));
          }
        }
      }
      // Wave 2: every job completes, every run succeeds with its own rows_scored.
      List<Callable<Object>> wave2 = new ArrayList<>();
      for (UUID jobId : jobIds) {
        for (int c = 0; c < WRITEBACKS_PER_JOB; c++) {
          wave2.add(() -> writeback(jobId, AutoMLTrainingJobStatus.COMPLETE, "mlf-" + jobId));
        }
      }
      for (int d = 0; d < DEPLOYMENTS; d++) {
        String name = names.get(d);
        for (int r = 0; r < RUNS_PER_DEPLOYMENT; r++) {
          String runId = airflowRunId(name, r);
          long rows = 1000L * d + r;
          for (int c = 0; c < COPIES; c++) {
            wave2.add(() -> callback(model, name, runId, DeploymentRunStatus.SUCCEEDED, rows));
          }
        }
      }
      assertThat(wave1.size() + wave2.size()).isGreaterThanOrEqualTo(1200);
      runAllAtOnce(pool, wave1, "wave 1 (running)", THREADS);
      runAllAtOnce(pool, wave2, "wave 2 (complete / succeeded)", THREADS);

      // No 5xx (nor any other error) anywhere.
      Map<Integer, Integer> statuses = server.proxy().statusCounts();
      System.out.println("[modelplane-it] concurrency: responses by status " + statuses);
      assertThat(statuses.keySet()).allSatisfy(status -> assertThat(status).isBetween(200, 299));

      // Final states through the API.
      for (UUID jobId : jobIds) {
        AutoMLTrainingJobResponse job = client.trainingJobs().get(jobId);
        assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
        assertThat(job.getMlflowRunId()).isEqualTo("mlf-" + jobId);
      }
      for (int d = 0; d < DEPLOYMENTS; d++) {
        String name = names.get(d);
        DeploymentResponse deployment = client.deployments().get(model, name);
        assertThat(deployment.getStatus()).isEqualTo(DeploymentStatus.ACTIVE);
        List<DeploymentRunSummary> runs =
            client.deploymentRuns().listAll(model, name, null).toList();
        assertThat(runs).hasSize(RUNS_PER_DEPLOYMENT);
        Set<String> expected =
            IntStream.range(0, RUNS_PER_DEPLOYMENT)
                .mapToObj(r -> airflowRunId(name, r))
                .collect(Collectors.toSet());
        assertThat(runs)
            .extracting(DeploymentRunSummary::getAirflowRunId)
            .containsExactlyInAnyOrderElementsOf(expected);
        for (DeploymentRunSummary run : runs) {
          int r =
              Integer.parseInt(run.getAirflowRunId().substring(run.getAirflowRunId().length() - 1));
          assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
          assertThat(run.getRowsScored()).isEqualTo(1000L * d + r);
          assertThat(run.getStartedAt()).isNotNull();
          assertThat(run.getFinishedAt()).isNotNull();
        }
        assertThat(deployment.getLastRun()).isNotNull();
        assertThat(expected).contains(deployment.getLastRun().getAirflowRunId());
      }

      // Exact rows in the database: one event per transition, one row per run.
      PostgresDatabase db = server.database();
      assertThat(db.number("SELECT count(*) FROM training_job_events")).isEqualTo(3L * JOBS);
      assertThat(
              db.rows(
                  "SELECT to_status, count(*) AS n FROM training_job_events"
                      + " GROUP BY to_status ORDER BY to_status"))
          .containsExactly(
              Map.of("to_status", "complete", "n", (long) JOBS),
              Map.of("to_status", "ready", "n", (long) JOBS),
              Map.of("to_status", "running", "n", (long) JOBS));
      assertThat(
              db.number(
                  "SELECT count(*) FROM (SELECT job_id FROM training_job_events GROUP BY job_id"
                      + " HAVING count(*) <> 3) odd"))
          .isZero();
      assertThat(db.number("SELECT count(*) FROM deployment_runs"))
          .isEqualTo((long) DEPLOYMENTS * RUNS_PER_DEPLOYMENT);
      assertThat(
              db.number(
                  "SELECT count(*) FROM deployment_runs WHERE status = 'succeeded'"
                      + " AND started_at IS NOT NULL AND finished_at IS NOT NULL"))
          .isEqualTo((long) DEPLOYMENTS * RUNS_PER_DEPLOYMENT);
      assertThat(
              db.number(
                  "SELECT count(*) FROM (SELECT deployment_id, airflow_run_id FROM deployment_runs"
                      + " GROUP BY deployment_id, airflow_run_id HAVING count(*) > 1) dup"))
          .isZero();
      assertThat(db.number("SELECT count(*) FROM deployment_events"))
          .isEqualTo(3L * DEPLOYMENTS); // created, DAG stored, active
      assertThat(
              db.number(
                  "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"))
          .as("deadlocks")
          .isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private static String airflowRunId(String deployment, int run) {
    return "scheduled__2026-11-2" + run + "T03:00:00+00:00__" + deployment + "__" + run;
  }

  private static Object writeback(UUID jobId, AutoMLTrainingJobStatus status, String mlflowRunId) {
    return client
        .trainingJobs()
        .updateStatus(
            jobId, new AutoMLTrainingStatusUpdate().status(status).mlflowRunId(mlflowRunId));
  }

  private static Object callback(
      String model, String name, String runId, DeploymentRunStatus status, Long rows) {
    return client
        .deploymentRuns()
        .record(
            model,
            name,
            new BatchRunCallback().airflowRunId(runId).status(status).rowsScored(rows));
  }

  /** Starts every call at the same moment on the pool; fails with every error any call had. */
  private static void runAllAtOnce(
      ExecutorService pool, List<Callable<Object>> calls, String what, int threads)
      throws Exception {
    List<Callable<Object>> shuffled = new ArrayList<>(calls);
    Collections.shuffle(shuffled);
    CountDownLatch gate = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    List<Future<?>> futures = new ArrayList<>();
    for (Callable<Object> call : shuffled) {
      futures.add(
          pool.submit(
              () -> {
                gate.await();
                try {
                  call.call();
                } catch (Exception e) {
                  errors.add(e.toString());
                }
                return null;
              }));
    }
    long started = System.nanoTime();
    gate.countDown();
    for (Future<?> future : futures) {
      future.get(3, TimeUnit.MINUTES); // a deadlock or a hang fails here
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "[modelplane-it] concurrency: %s: %d requests from %d threads in %d ms (%.0f/s)%n",
        what, calls.size(), threads, millis, calls.size() * 1000.0 / Math.max(1, millis));
    assertThat(errors).as(what + ": failed requests").isEmpty();
  }
}
