package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Group commit of run callbacks on PostgreSQL ({@code MODELPLANE_WRITEBACK_BATCH_MAX}): many DAG
 * runs of a few deployments report at once (running, then succeeded, as every scoring DAG does),
 * the server is killed with SIGKILL in the middle of that load, and a new server on the same
 * database must show every callback that was answered 200 — its run's status and its feed event —
 * in the order it was answered.
 */
class CallbackGroupCommitIT {
  private static final int WRITERS = 48;
  private static final int DEPLOYMENTS = 4;
  private static final int ANSWERS_BEFORE_THE_KILL = 1_500;

  @Test
  void everyCallbackAnswered200SurvivesASigkillInTheMiddleOfTheLoad() throws Exception {
    try (ServerUnderTest server = ServerUnderTest.onPostgres("callback-commit", Map.of())) {
      String model = "churn-callbacks";
      for (int i = 0; i < DEPLOYMENTS; i++) {
        server.client().deployments().create(model, Fixtures.deployment(deployment(i), model, "3"));
      }
      // Each writer is the DAG of one deployment: its runs one after the other, each reporting
      // running, then succeeded.
      List<List<Integer>> answered =
          SigkillUnderLoad.run(
              server,
              WRITERS,
              ANSWERS_BEFORE_THE_KILL,
              (writer, seq) ->
                  SigkillUnderLoad.send(
                      server,
                      "POST",
                      "/api/models/" + model + "/deployments/" + deployment(writer) + "/runs",
                      body(writer, seq)));

      server.startAgain(Map.of());
      PostgresDatabase db = server.database();
      for (int writer = 0; writer < WRITERS; writer++) {
        List<String> acknowledged = new ArrayList<>();
        for (int seq : answered.get(writer)) {
          acknowledged.add(run(writer, seq) + " " + status(seq));
        }
        List<String> feed =
            db
                .rows(
                    "SELECT r.airflow_run_id, e.to_value FROM platform_events e"
                        + " JOIN deployment_runs r ON r.run_id = e.subject_id"
                        + " WHERE e.event_type = 'deployment_run.status_changed'"
                        + " AND r.airflow_run_id LIKE ? ORDER BY e.event_id",
                    "writer-" + writer + "-run-%")
                .stream()
                .map(row -> row.get("airflow_run_id") + " " + row.get("to_value"))
                .toList();
        // Every answered callback is there, in order; at most the one in flight when the server
        // died committed without its answer.
        assertThat(feed).startsWith(acknowledged.toArray(String[]::new));
        assertThat(feed.size()).isBetween(acknowledged.size(), acknowledged.size() + 1);
        // Each run's row has the status of its last event.
        Map<String, String> last = new HashMap<>();
        feed.forEach(event -> last.put(event.split(" ")[0], event.split(" ")[1]));
        for (Map<String, Object> row :
            db.rows(
                "SELECT airflow_run_id, status FROM deployment_runs WHERE airflow_run_id LIKE ?",
                "writer-" + writer + "-run-%")) {
          assertThat(row.get("status")).isEqualTo(last.get((String) row.get("airflow_run_id")));
        }
        assertThat(last)
            .hasSize(
                (int)
                    db.number(
                        "SELECT count(*) FROM deployment_runs WHERE airflow_run_id LIKE ?",
                        "writer-" + writer + "-run-%"));
      }
      // The callbacks were committed together: some transactions hold several of them.
      long transactions =
          db.number(
              "SELECT count(DISTINCT xmin::text) FROM platform_events"
                  + " WHERE event_type = 'deployment_run.status_changed'");
      long callbacks =
          db.number(
              "SELECT count(*) FROM platform_events"
                  + " WHERE event_type = 'deployment_run.status_changed'");
      System.out.println(
          "[modelplane-it] group commit: "
              + callbacks
              + " run callbacks committed in "
              + transactions
              + " transactions");
      assertThat(transactions).isLessThan(callbacks);
      // The new server goes on from those rows: the end of the last run answered is a 200, a move
      // from running or a repeat (when the one in flight at the kill had committed it).
      int lastSeq = answered.get(0).get(answered.get(0).size() - 1) | 1;
      assertThat(
              SigkillUnderLoad.send(
                  server,
                  "POST",
                  "/api/models/" + model + "/deployments/" + deployment(0) + "/runs",
                  body(0, lastSeq)))
          .isEqualTo(200);
      server.assertContractKept();
    }
  }

  private static String deployment(int writer) {
    return "scores-" + writer % DEPLOYMENTS;
  }

  private static String run(int writer, int seq) {
    return "writer-" + writer + "-run-" + seq / 2;
  }

  private static String status(int seq) {
    return seq % 2 == 0 ? "running" : "succeeded";
  }

  private static String body(int writer, int seq) {
    return seq % 2 == 0
        ? "{\"airflow_run_id\": \"" + run(writer, seq) + "\", \"status\": \"running\"}"
        : "{\"airflow_run_id\": \""
            + run(writer, seq)
            + "\", \"status\": \"succeeded\", \"rows_scored\": "
            + (1000 + seq)
            + "}";
  }
}
