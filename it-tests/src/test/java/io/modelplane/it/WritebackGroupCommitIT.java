package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

  @Test
  void everyWritebackAnswered200SurvivesASigkillInTheMiddleOfTheLoad() throws Exception {
    try (ServerUnderTest server = ServerUnderTest.onPostgres("group-commit", Map.of())) {
      List<UUID> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(server.client().trainingJobs().create(Fixtures.job("batched", false)).getJobId());
      }
      // Each job's task: ready → running → failed → running → …
      List<List<Integer>> answered =
          SigkillUnderLoad.run(
              server,
              JOBS,
              ANSWERS_BEFORE_THE_KILL,
              (task, seq) ->
                  SigkillUnderLoad.send(
                      server,
                      "PUT",
                      "/api/automl/train/jobs/" + jobs.get(task) + "/status",
                      body(status(seq))));

      server.startAgain(Map.of());
      PostgresDatabase db = server.database();
      for (int i = 0; i < JOBS; i++) {
        UUID job = jobs.get(i);
        List<String> acknowledged =
            answered.get(i).stream().map(WritebackGroupCommitIT::status).toList();
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

  private static String status(int seq) {
    return seq % 2 == 0 ? "running" : "failed";
  }

  private static String body(String status) {
    return status.equals("failed")
        ? "{\"status\": \"failed\", \"error_message\": \"the task failed, Airflow retries it\"}"
        : "{\"status\": \"" + status + "\"}";
  }
}
