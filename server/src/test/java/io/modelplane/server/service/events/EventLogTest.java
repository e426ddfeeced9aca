package io.modelplane.server.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.Database;
import io.modelplane.server.support.HostileStrings;
import io.modelplane.server.support.TestDatabases;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The row each kind of event writes into {@code platform_events}, column by column. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventLogTest {
  private static final Instant AT = Instant.parse("2026-05-01T08:00:00Z");
  private static final UUID SUBJECT = UUID.fromString("11111111-2222-3333-4444-555555555555");
  private static final UUID DEPLOYMENT = UUID.fromString("66666666-7777-8888-9999-000000000000");
  private Database database;

  @BeforeAll
  void open() {
    database = Database.open(TestDatabases.h2());
  }

  @AfterAll
  void close() {
    database.close();
  }

  @Test
  void aTrainingJobStatusChangeWritesTheJobActorAndReason() {
    assertThat(
            written(
                h ->
                    EventLog.trainingJobStatusChanged(
                        h, SUBJECT, null, "ready", "api", "created", AT)))
        .containsExactly(
            "training_job.status_changed",
            SUBJECT.toString(),
            null,
            "ready",
            "{\"job_id\":\"" + SUBJECT + "\",\"actor\":\"api\",\"reason\":\"created\"}",
            null);
  }

  @Test
  void aDeploymentStatusChangeWritesTheDeploymentModelNameActorAndReason() {
    assertThat(
            written(
                h ->
                    EventLog.deploymentStatusChanged(
                        h, SUBJECT, "churn", "nightly", "active", "stopped", "ana", null, AT)))
        .containsExactly(
            "deployment.status_changed",
            SUBJECT.toString(),
            "active",
            "stopped",
            "{\"deployment_id\":\""
                + SUBJECT
                + "\",\"model\":\"churn\",\"name\":\"nightly\",\"actor\":\"ana\",\"reason\":null}",
            null);
  }

  @Test
  void aDeploymentRunStatusChangeWritesTheRunItsAirflowRunRowsAndError() {
    assertThat(
            written(
                h ->
                    EventLog.deploymentRunStatusChanged(
                        h, DEPLOYMENT, SUBJECT, "manual__1", "running", "failed", 42L, "boom", AT)))
        .containsExactly(
            "deployment_run.status_changed",
            SUBJECT.toString(),
            "running",
            "failed",
            "{\"deployment_id\":\""
                + DEPLOYMENT
                + "\",\"run_id\":\""
                + SUBJECT
                + "\",\"airflow_run_id\":\"manual__1\",\"rows_scored\":42,"
                + "\"error_message\":\"boom\"}",
            null);
  }

  @Test
  void aJobStatusChangeWritesTheJobItsNameTypeActorAndReason() {
    assertThat(
            written(
                h ->
                    EventLog.jobStatusChanged(
                        h,
                        SUBJECT,
                        "daily-totals",
                        "airflow.dataeng",
                        "new",
                        "running",
                        "airflow",
                        "started",
                        AT)))
        .containsExactly(
            "job.status_changed",
            SUBJECT.toString(),
            "new",
            "running",
            "{\"job_id\":\""
                + SUBJECT
                + "\",\"job_name\":\"daily-totals\",\"job_type\":\"airflow.dataeng\","
                + "\"actor\":\"airflow\",\"reason\":\"started\"}",
            null);
  }

  @Test
  void aModelVersionChangeWritesTheDeploymentAndAliasWithTheVersionsAsStatuses() {
    assertThat(
            written(
                h ->
                    EventLog.deploymentModelVersionChanged(
                        h, SUBJECT, "churn", "nightly", "champion", "3", "4", AT)))
        .containsExactly(
            "deployment.model_version_changed",
            SUBJECT.toString(),
            "3",
            "4",
            "{\"deployment_id\":\""
                + SUBJECT
                + "\",\"model\":\"churn\",\"name\":\"nightly\",\"alias\":\"champion\"}",
            null);
  }

  @Test
  void aPingIsForItsSubscriptionOnly() {
    long[] id = new long[1];
    List<String> row = written(h -> id[0] = EventLog.ping(h, SUBJECT, AT));
    assertThat(row)
        .containsExactly(
            "ping",
            SUBJECT.toString(),
            null,
            null,
            "{\"webhook_id\":\"" + SUBJECT + "\",\"message\":\"ping\"}",
            SUBJECT.toString());
    assertThat(id[0]).isPositive();
  }

  @Test
  void theTrainingJobDataIsTheDataOfItsStatusChange() {
    assertThat(EventLog.trainingJobData(SUBJECT, "reconcile", null))
        .isEqualTo("{\"job_id\":\"" + SUBJECT + "\",\"actor\":\"reconcile\",\"reason\":null}");
  }

  /** The one row {@code write} adds, without its generated id and sequence. */
  @Test
  void theDataIsTheJsonJacksonWritesWhateverTheTextHolds() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (String fragment : HostileStrings.FRAGMENTS) {
      String text = "a" + fragment + "b\u0001\u2028é";
      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("job_id", SUBJECT.toString());
      expected.put("actor", text);
      expected.put("reason", null);
      assertThat(EventLog.trainingJobData(SUBJECT, text, null))
          .isEqualTo(json.writeValueAsString(expected));
    }
  }

  private List<String> written(Consumer<Handle> write) {
    return database
        .jdbi()
        .inTransaction(
            h -> {
              long before = lastId(h);
              write.accept(h);
              List<Map<String, Object>> rows =
                  h.createQuery(
                          "SELECT event_type, subject_id, from_value, to_value, data,"
                              + " subscription_id, created_at, seq FROM platform_events"
                              + " WHERE event_id > :before")
                      .bind("before", before)
                      .mapToMap()
                      .list();
              assertThat(rows).hasSize(1);
              Map<String, Object> row = rows.get(0);
              assertThat(row.get("seq")).isNull();
              assertThat(row.get("created_at")).isNotNull();
              return Arrays.asList(
                  string(row.get("event_type")),
                  string(row.get("subject_id")),
                  string(row.get("from_value")),
                  string(row.get("to_value")),
                  string(row.get("data")),
                  string(row.get("subscription_id")));
            });
  }

  private static long lastId(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(event_id), 0) FROM platform_events")
        .mapTo(Long.class)
        .one();
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }
}
