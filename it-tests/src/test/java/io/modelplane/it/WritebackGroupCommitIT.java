package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit of status writebacks on PostgreSQL ({@code MODELPLANE_WRITEBACK_BATCH_MAX}): many
 * DAG tasks report at once, the server is killed with SIGKILL in the middle of that load, and a new
 * server on the same database must show every writeback that was answered 200 — its status move,
 * its event and its feed event — in the order it was answered.
 */
class WritebackGroupCommitIT {
  private static final int JOBS = 48;
  private static final int ANSWERS_BEFORE_THE_KILL = 1_500;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void everyWritebackAnswered200SurvivesASigkillInTheMiddleOfTheLoad() throws Exception {
    try (ServerUnderTest server = ServerUnderTest.onPostgres("group-commit", Map.of())) {
      List<UUID> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(server.client().trainingJobs().create(Fixtures.job("batched", false)).getJobId());
      }
      String baseUrl = server.server().baseUrl(); // not the proxy: the load ends in broken pipes
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      // For each job (one task each): the statuses answered 200, in order.
      List<List<String>> answered = new ArrayList<>();
      AtomicInteger answers = new AtomicInteger();
      AtomicInteger refusals = new AtomicInteger();
      CountDownLatch enough = new CountDownLatch(1);
      List<Thread> tasks = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        List<String> statuses = Collections.synchronizedList(new ArrayList<>());
        answered.add(statuses);
        UUID job = jobs.get(i);
        Thread task =
            new Thread(
                () -> {
                  String next = "running"; // ready → running → failed → running → …
                  while (true) {
                    int status;
                    try {
                      status = put(http, baseUrl, server.psk(), job, next);
                    } catch (IOException | InterruptedException e) {
                      return; // the server is gone: this writeback was not answered
                    }
                    if (status != 200) {
                      refusals.incrementAndGet();
                      return;
                    }
                    statuses.add(next);
                    if (answers.incrementAndGet() >= ANSWERS_BEFORE_THE_KILL) {
                      enough.countDown();
                    }
                    next = next.equals("running") ? "failed" : "running";
                  }
                },
                "writeback-task-" + i);
        task.setDaemon(true);
        tasks.add(task);
      }
      tasks.forEach(Thread::start);
      assertThat(enough.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      server.server().kill(); // SIGKILL: no shutdown hook, no drain of the queued batch
      for (Thread task : tasks) {
        task.join(WAIT.toMillis());
        assertThat(task.isAlive()).isFalse();
      }
      int answeredBeforeTheKill = answers.get();
      System.out.println(
          "[modelplane-it] group commit: "
              + answeredBeforeTheKill
              + " writebacks answered 200 before the SIGKILL");
      assertThat(refusals.get()).isZero();

      server.startAgain(Map.of());
      PostgresDatabase db = server.database();
      for (int i = 0; i < JOBS; i++) {
        UUID job = jobs.get(i);
        List<String> acknowledged = answered.get(i);
        List<String> moves =
            db
                .rows(
                    "SELECT to_status FROM training_job_events WHERE job_id = ?"
                        + " AND from_status IS NOT NULL ORDER BY event_id",
                    job)
                .stream()
                .map(row -> (String) row.get("to_status"))
                .toList();
        List<String> feed =
            db
                .rows(
                    "SELECT to_value FROM platform_events WHERE subject_id = ?"
                        + " AND event_type = 'training_job.status_changed'"
                        + " AND from_value IS NOT NULL ORDER BY event_id",
                    job)
                .stream()
                .map(row -> (String) row.get("to_value"))
                .toList();
        // Every answered writeback is there, in order; at most the one in flight when the
        // server died committed without its answer.
        assertThat(moves).startsWith(acknowledged.toArray(String[]::new));
        assertThat(moves.size()).isBetween(acknowledged.size(), acknowledged.size() + 1);
        assertThat(feed).isEqualTo(moves);
        String status =
            (String)
                db.rows("SELECT status FROM training_jobs WHERE job_id = ?", job)
                    .get(0)
                    .get("status");
        assertThat(status).isEqualTo(moves.isEmpty() ? "ready" : moves.get(moves.size() - 1));
        // The new server answers from those rows, and goes on from there.
        assertThat(server.client().trainingJobs().get(job).getStatus().getValue())
            .isEqualTo(status);
      }
      // The writebacks were committed together: some transactions hold several of them.
      long transactions =
          db.number(
              "SELECT count(DISTINCT xmin::text) FROM training_job_events"
                  + " WHERE from_status IS NOT NULL");
      long writebacks =
          db.number("SELECT count(*) FROM training_job_events WHERE from_status IS NOT NULL");
      System.out.println(
          "[modelplane-it] group commit: "
              + writebacks
              + " writebacks committed in "
              + transactions
              + " transactions");
      assertThat(transactions).isLessThan(writebacks);
      server.assertContractKept();
    }
  }

  private static int put(HttpClient http, String baseUrl, String psk, UUID job, String status)
      throws IOException, InterruptedException {
    String body =
        status.equals("failed")
            ? "{\"status\": \"failed\", \"error_message\": \"the task failed, Airflow retries it\"}"
            : "{\"status\": \"" + status + "\"}";
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(baseUrl + "/api/automl/train/jobs/" + job + "/status"))
                .header("Authorization-PSK", psk)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
