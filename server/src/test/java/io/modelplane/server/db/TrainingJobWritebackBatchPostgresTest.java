package io.modelplane.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.modelplane.server.support.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link TrainingJobDao#writebackBatch}, the group commit of writebacks (PostgreSQL only): every
 * item of a batch has the outcome and leaves the rows its own {@link
 * TrainingJobDao#writebackInOneStatement} would, whatever the others do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingJobWritebackBatchPostgresTest {
  private static final List<String> TO_RUNNING = List.of("ready", "queued", "failed");
  private static final List<String> TO_COMPLETE = List.of("queued", "running");
  private static final List<String> TO_FAILED = List.of("queued", "running");
  private static final String RECONCILE = "reconcile";

  private Database database;
  private final Instant created = Instant.parse("2026-11-30T10:00:00Z");
  private final Instant at = Instant.parse("2026-11-30T12:34:56.123456Z");

  @BeforeAll
  void open() {
    database = Database.open(TestDatabases.postgres());
  }

  @AfterAll
  void close() {
    database.close();
  }

  @Test
  void eachItemOfABatchHasItsOwnOutcomeAndRows() {
    UUID moves = job("queued");
    UUID repeats = job("running");
    UUID refused = job("complete");
    UUID unknown = UUID.randomUUID();
    UUID fails = job("running");
    UUID reconciled = job("failed");
    event(reconciled, "running", "failed", RECONCILE, "Airflow reports the run failed");

    List<Optional<TrainingJobDao.Writeback>> outcomes =
        PlainJdbc.withConnection(
            database.jdbi(),
            connection ->
                TrainingJobDao.writebackBatch(
                    connection,
                    List.of(
                        item(moves, TO_RUNNING, "running", null, null, null),
                        item(repeats, TO_RUNNING, "running", null, null, null),
                        item(refused, TO_RUNNING, "running", null, null, null),
                        item(unknown, TO_RUNNING, "running", null, null, null),
                        item(fails, TO_FAILED, "failed", "mlf-7", "churn", "OOM"),
                        item(reconciled, TO_COMPLETE, "complete", null, null, null)),
                    RECONCILE));

    assertThat(outcomes).hasSize(6);
    assertThat(outcomes.get(0).orElseThrow())
        .extracting(w -> w.previousStatus(), w -> w.moved(), w -> w.row().status())
        .containsExactly("queued", true, "running");
    assertThat(outcomes.get(0).orElseThrow().row().updatedAt()).isEqualTo(at);
    assertThat(outcomes.get(0).orElseThrow().reconciled()).isEmpty();
    assertThat(outcomes.get(1).orElseThrow())
        .extracting(w -> w.previousStatus(), w -> w.moved(), w -> w.row().status())
        .containsExactly("running", false, "running");
    assertThat(outcomes.get(1).orElseThrow().row().updatedAt()).isEqualTo(created);
    assertThat(outcomes.get(2).orElseThrow())
        .extracting(w -> w.previousStatus(), w -> w.moved(), w -> w.row().status())
        .containsExactly("complete", false, "complete");
    assertThat(outcomes.get(3)).isEmpty();
    TrainingJobDao.Writeback failed = outcomes.get(4).orElseThrow();
    assertThat(failed)
        .extracting(
            w -> w.previousStatus(),
            w -> w.moved(),
            w -> w.row().status(),
            w -> w.row().mlflowRunId(),
            w -> w.row().registeredModelName(),
            w -> w.row().errorMessage(),
            w -> w.row().jobId())
        .containsExactly("running", true, "failed", "mlf-7", "churn", "OOM", fails);
    TrainingJobDao.Writeback late = outcomes.get(5).orElseThrow();
    assertThat(late.moved()).isFalse();
    assertThat(late.previousStatus()).isEqualTo("failed");
    assertThat(late.reconciled())
        .contains(new TrainingJobDao.LastEvent("failed", "Airflow reports the run failed"));

    // The rows: the two moves and nothing else.
    assertThat(status(moves)).isEqualTo("running");
    assertThat(status(repeats)).isEqualTo("running");
    assertThat(status(refused)).isEqualTo("complete");
    assertThat(status(fails)).isEqualTo("failed");
    assertThat(status(reconciled)).isEqualTo("failed");
    assertThat(find(fails))
        .extracting(
            TrainingJobRow::mlflowRunId,
            TrainingJobRow::registeredModelName,
            TrainingJobRow::errorMessage,
            TrainingJobRow::updatedAt)
        .containsExactly("mlf-7", "churn", "OOM", at);
    assertThat(find(repeats).updatedAt()).isEqualTo(created);
    assertThat(events(moves))
        .extracting(
            TrainingJobEventRow::fromStatus,
            TrainingJobEventRow::toStatus,
            TrainingJobEventRow::actor,
            TrainingJobEventRow::reason,
            TrainingJobEventRow::createdAt)
        .containsExactly(tuple("queued", "running", "dag", "reason of " + moves, at));
    assertThat(events(fails))
        .extracting(TrainingJobEventRow::fromStatus, TrainingJobEventRow::toStatus)
        .containsExactly(tuple("running", "failed"));
    assertThat(events(repeats)).isEmpty();
    assertThat(events(refused)).isEmpty();
    assertThat(events(reconciled)).hasSize(1); // the reconcile loop's, nothing added
    assertThat(feed(moves))
        .extracting(
            PlatformEventRow::seq,
            PlatformEventRow::eventType,
            PlatformEventRow::fromValue,
            PlatformEventRow::toValue,
            PlatformEventRow::data,
            PlatformEventRow::createdAt)
        .containsExactly(
            tuple(
                null,
                "training_job.status_changed",
                "queued",
                "running",
                "{\"job_id\":\"" + moves + "\"}",
                at));
    assertThat(feed(fails))
        .extracting(PlatformEventRow::fromValue, PlatformEventRow::toValue)
        .containsExactly(tuple("running", "failed"));
    assertThat(feed(repeats)).isEmpty();
    assertThat(feed(refused)).isEmpty();
    assertThat(feed(reconciled)).isEmpty();
    assertThat(feed(unknown)).isEmpty();
  }

  @Test
  void aBatchLeavesTheSameRowsAsTheSameWritebacksOneByOne() {
    List<String> statuses = List.of("ready", "queued", "running", "failed", "complete");
    List<String> targets = List.of("running", "complete", "failed");
    List<UUID> batched = new ArrayList<>();
    List<UUID> alone = new ArrayList<>();
    List<TrainingJobDao.WritebackItem> batchItems = new ArrayList<>();
    List<TrainingJobDao.WritebackItem> singleItems = new ArrayList<>();
    for (String status : statuses) {
      for (String target : targets) {
        List<String> sources =
            switch (target) {
              case "running" -> TO_RUNNING;
              case "complete" -> TO_COMPLETE;
              default -> TO_FAILED;
            };
        String error = target.equals("failed") ? "boom" : null;
        UUID a = job(status);
        UUID b = job(status);
        batched.add(a);
        alone.add(b);
        batchItems.add(item(a, sources, target, "mlf", null, error));
        singleItems.add(item(b, sources, target, "mlf", null, error));
      }
    }

    List<Optional<TrainingJobDao.Writeback>> fromBatch =
        PlainJdbc.withConnection(
            database.jdbi(),
            connection -> TrainingJobDao.writebackBatch(connection, batchItems, RECONCILE));
    List<Optional<TrainingJobDao.Writeback>> fromSingles = new ArrayList<>();
    for (TrainingJobDao.WritebackItem single : singleItems) {
      fromSingles.add(
          database
              .jdbi()
              .withHandle(
                  handle -> TrainingJobDao.writebackInOneStatement(handle, single, RECONCILE)));
    }

    for (int i = 0; i < batched.size(); i++) {
      TrainingJobDao.Writeback x = fromBatch.get(i).orElseThrow();
      TrainingJobDao.Writeback y = fromSingles.get(i).orElseThrow();
      assertThat(x.previousStatus()).isEqualTo(y.previousStatus());
      assertThat(x.moved()).isEqualTo(y.moved());
      assertThat(x.reconciled()).isEqualTo(y.reconciled());
      assertThat(withoutId(x.row())).isEqualTo(withoutId(y.row()));
      assertThat(withoutId(find(batched.get(i)))).isEqualTo(withoutId(find(alone.get(i))));
      assertThat(events(batched.get(i)))
          .extracting(
              TrainingJobEventRow::fromStatus,
              TrainingJobEventRow::toStatus,
              TrainingJobEventRow::createdAt)
          .containsExactlyElementsOf(
              events(alone.get(i)).stream()
                  .map(e -> tuple(e.fromStatus(), e.toStatus(), e.createdAt()))
                  .toList());
      assertThat(feed(batched.get(i))).hasSameSizeAs(feed(alone.get(i)));
    }
    // ready/queued/failed → running, queued/running → complete, queued/running → failed
    assertThat(fromBatch.stream().filter(o -> o.orElseThrow().moved()).count()).isEqualTo(7);
  }

  @Test
  void aJobTwiceInOneBatchIsRefusedAndNothingIsWritten() {
    UUID id = job("queued");

    assertThatThrownBy(
            () ->
                PlainJdbc.withConnection(
                    database.jdbi(),
                    connection ->
                        TrainingJobDao.writebackBatch(
                            connection,
                            List.of(
                                item(id, TO_RUNNING, "running", null, null, null),
                                item(id, TO_COMPLETE, "complete", null, null, null)),
                            RECONCILE)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(status(id)).isEqualTo("queued");
    assertThat(events(id)).isEmpty();
  }

  @Test
  void aFailingItemFailsItsWholeBatchAtomically() {
    UUID good = job("queued");
    UUID bad = job("queued");
    String tooLong = "x".repeat(100_000); // longer than any column it could go to

    assertThatThrownBy(
            () ->
                PlainJdbc.withConnection(
                    database.jdbi(),
                    connection ->
                        TrainingJobDao.writebackBatch(
                            connection,
                            List.of(
                                item(good, TO_RUNNING, "running", null, null, null),
                                item(bad, TO_RUNNING, "running", tooLong, null, null)),
                            RECONCILE)))
        .isInstanceOf(RuntimeException.class);

    assertThat(status(good)).isEqualTo("queued");
    assertThat(events(good)).isEmpty();
    assertThat(feed(good)).isEmpty();
  }

  private TrainingJobDao.WritebackItem item(
      UUID id,
      List<String> sources,
      String target,
      String mlflowRunId,
      String model,
      String error) {
    return new TrainingJobDao.WritebackItem(
        id,
        sources,
        target,
        mlflowRunId,
        model,
        error,
        "dag",
        "reason of " + id,
        "{\"job_id\":\"" + id + "\"}",
        at);
  }

  private UUID job(String status) {
    UUID id = UUID.randomUUID();
    database
        .jdbi()
        .useExtension(
            TrainingJobDao.class,
            dao ->
                dao.insert(
                    new TrainingJobRow(
                        id,
                        "batch",
                        "dao-batch",
                        "owner-1",
                        "crm.customers",
                        "binary_classification",
                        "lightgbm_classifier",
                        "balanced",
                        "churned",
                        null,
                        null,
                        null,
                        status,
                        "print('dag')",
                        null,
                        "automl/batch",
                        null,
                        "modelplane-training-" + id,
                        null,
                        0,
                        null,
                        null,
                        null,
                        null,
                        created,
                        created,
                        null)));
    return id;
  }

  private void event(UUID id, String from, String to, String actor, String reason) {
    database
        .jdbi()
        .useExtension(
            TrainingJobEventDao.class, dao -> dao.insert(id, from, to, actor, reason, created));
  }

  private TrainingJobRow find(UUID id) {
    return database.jdbi().withHandle(handle -> TrainingJobDao.find(handle, id)).orElseThrow();
  }

  private String status(UUID id) {
    return find(id).status();
  }

  private List<TrainingJobEventRow> events(UUID id) {
    return database.jdbi().withExtension(TrainingJobEventDao.class, dao -> dao.listForJob(id));
  }

  private List<PlatformEventRow> feed(UUID id) {
    return database
        .jdbi()
        .withHandle(
            (Handle handle) ->
                handle
                    .createQuery(
                        "SELECT * FROM platform_events WHERE subject_id = :id ORDER BY event_id")
                    .bind("id", id)
                    .map(ConstructorMapper.of(PlatformEventRow.class))
                    .list());
  }

  private static Map<String, Object> withoutId(TrainingJobRow row) {
    return Map.of(
        "status", row.status(),
        "mlflow", String.valueOf(row.mlflowRunId()),
        "model", String.valueOf(row.registeredModelName()),
        "error", String.valueOf(row.errorMessage()),
        "updated", row.updatedAt());
  }
}
