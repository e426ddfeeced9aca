package io.modelplane.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.config.DatabaseConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The DAO scenarios; run once on H2 and once on PostgreSQL by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrainingJobDaoContract {
  private Database database;
  private final String domain = "dao-" + UUID.randomUUID();

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void open() {
    database = Database.open(databaseConfig());
  }

  @AfterAll
  void close() {
    database.close();
  }

  @Test
  void insertThenFindReturnsEveryColumn() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    TrainingJobRow row = row(UUID.randomUUID(), "ready", now);
    database.jdbi().useExtension(TrainingJobDao.class, dao -> dao.insert(row));

    TrainingJobRow found =
        database
            .jdbi()
            .withExtension(TrainingJobDao.class, dao -> dao.find(row.jobId()))
            .orElseThrow();

    assertThat(found).isEqualTo(row);
  }

  @Test
  void transitionOnlyMovesFromAllowedStatuses() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    database.jdbi().useExtension(TrainingJobDao.class, dao -> dao.insert(row(id, "queued", now)));

    int refused =
        database
            .jdbi()
            .withExtension(
                TrainingJobDao.class,
                dao ->
                    dao.transition(id, List.of("running"), "complete", "run-1", null, null, now));
    int moved =
        database
            .jdbi()
            .withExtension(
                TrainingJobDao.class,
                dao ->
                    dao.transition(
                        id,
                        List.of("queued", "running"),
                        "complete",
                        "run-1",
                        "churn-model",
                        null,
                        now));

    assertThat(refused).isZero();
    assertThat(moved).isEqualTo(1);
    TrainingJobRow after =
        database.jdbi().withExtension(TrainingJobDao.class, dao -> dao.find(id)).orElseThrow();
    assertThat(after.status()).isEqualTo("complete");
    assertThat(after.mlflowRunId()).isEqualTo("run-1");
    assertThat(after.registeredModelName()).isEqualTo("churn-model");
  }

  @Test
  void recordTriggerWinsOnceForTheSameAttempt() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    database.jdbi().useExtension(TrainingJobDao.class, dao -> dao.insert(row(id, "ready", now)));

    List<Integer> results = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      results.add(
          database
              .jdbi()
              .withExtension(
                  TrainingJobDao.class,
                  dao ->
                      dao.recordTrigger(
                          id, List.of("ready", "failed"), "queued", "run-1", 1, now)));
    }

    assertThat(results).containsExactly(1, 0);
  }

  @Test
  void listIsNewestFirstAndPagesByKeyset() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      Instant created = start.plusSeconds(i / 2); // pairs share a timestamp: the id breaks ties
      database
          .jdbi()
          .useExtension(TrainingJobDao.class, dao -> dao.insert(row(id, "ready", created)));
    }
    TrainingJobFilter filter = new TrainingJobFilter(null, domain, null, null, null);

    List<UUID> seen = new ArrayList<>();
    Keyset after = null;
    for (int page = 0; page < 10; page++) {
      Keyset cursor = after;
      List<TrainingJobRow> rows =
          database.jdbi().withExtension(TrainingJobDao.class, dao -> dao.list(filter, cursor, 3));
      rows.forEach(r -> seen.add(r.jobId()));
      if (rows.size() < 3) {
        break;
      }
      TrainingJobRow last = rows.get(rows.size() - 1);
      after = new Keyset(last.createdAt(), last.jobId());
    }

    assertThat(seen).hasSize(7).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    List<TrainingJobRow> all =
        database.jdbi().withExtension(TrainingJobDao.class, dao -> dao.list(filter, null, 100));
    assertThat(all).extracting(TrainingJobRow::jobId).containsExactlyElementsOf(seen);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).createdAt()).isBeforeOrEqualTo(all.get(i - 1).createdAt());
    }
  }

  @Test
  void listFiltersByStatus() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID ready = UUID.randomUUID();
    UUID failed = UUID.randomUUID();
    database.jdbi().useExtension(TrainingJobDao.class, dao -> dao.insert(row(ready, "ready", now)));
    database
        .jdbi()
        .useExtension(TrainingJobDao.class, dao -> dao.insert(row(failed, "failed", now)));

    List<TrainingJobRow> rows =
        database
            .jdbi()
            .withExtension(
                TrainingJobDao.class,
                dao ->
                    dao.list(new TrainingJobFilter("failed", domain, null, null, null), null, 100));

    assertThat(rows).extracting(TrainingJobRow::jobId).contains(failed).doesNotContain(ready);
  }

  @Test
  void eventsAreKeptInOrderAndDeletedWithTheJob() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    database.jdbi().useExtension(TrainingJobDao.class, dao -> dao.insert(row(id, "ready", now)));
    database
        .jdbi()
        .useExtension(
            TrainingJobEventDao.class,
            dao -> {
              dao.insert(id, null, "ready", "platform", "created", now);
              dao.insert(id, "ready", "queued", "platform", "triggered", now);
            });

    List<TrainingJobEventRow> events =
        database.jdbi().withExtension(TrainingJobEventDao.class, dao -> dao.listForJob(id));
    assertThat(events)
        .extracting(TrainingJobEventRow::fromStatus, TrainingJobEventRow::toStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, "ready"),
            org.assertj.core.groups.Tuple.tuple("ready", "queued"));

    database.jdbi().useExtension(TrainingJobDao.class, dao -> dao.delete(id));
    List<TrainingJobEventRow> remaining =
        database.jdbi().withExtension(TrainingJobEventDao.class, dao -> dao.listForJob(id));
    assertThat(remaining).isEmpty();
  }

  @Test
  void migrationsReapplyIdempotently() {
    try (Database again = Database.open(databaseConfig())) {
      assertThat(again.isReachable()).isTrue();
    }
  }

  private TrainingJobRow row(UUID id, String status, Instant at) {
    return new TrainingJobRow(
        id,
        "job ‘quoted’ \"name\"",
        domain,
        "owner-1",
        "crm.customers",
        "binary_classification",
        "lightgbm_classifier",
        "balanced",
        "churned",
        "[\"a\",\"b\"]",
        null,
        UUID.randomUUID(),
        status,
        "print('dag')",
        null,
        "automl/" + domain,
        null,
        "modelplane-training-" + id,
        null,
        0,
        null,
        null,
        null,
        null,
        at,
        at,
        null);
  }
}
