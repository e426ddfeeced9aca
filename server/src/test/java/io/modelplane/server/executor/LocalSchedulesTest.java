package io.modelplane.server.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.db.Database;
import io.modelplane.server.support.TestClock;
import io.modelplane.server.support.TestDatabases;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedules of a pass on data-engineering jobs' rows: the scheduled DAGs are read in pages
 * (memory bounded however many there are), and a DAG whose latest tick was settled is not read
 * again until its next tick is due.
 */
abstract class LocalSchedulesContract {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:30Z");

  abstract DatabaseConfig database();

  private Database database;
  private Jdbi jdbi;
  private String prefix;
  private final TestClock clock = new TestClock(NOW);

  @BeforeEach
  void open() {
    database = Database.open(database());
    jdbi = database.jdbi();
    prefix = "sched_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  }

  @AfterEach
  void close() {
    // The database is shared by the API tests of the run: these rows are not API-made jobs.
    jdbi.useHandle(
        h -> {
          h.execute("DELETE FROM local_schedules WHERE dag_id LIKE ?", prefix + "%");
          h.execute("DELETE FROM jobs WHERE dag_id LIKE ?", prefix + "%");
        });
    database.close();
  }

  @Test
  void onePassSeesEveryScheduledDagAcrossPages() {
    List<String> dagIds = IntStream.range(0, 7).mapToObj(i -> prefix + i).toList();
    dagIds.forEach(dagId -> scheduledJob(dagId, "* * * * *"));

    schedules(3).fire();

    // First sight of each schedule records its latest tick: all seven, over three pages.
    assertThat(recorded()).containsExactlyElementsOf(dagIds);
  }

  @Test
  void aSettledTickIsNotReadAgainUntilTheNextTickIsDue() {
    String dagId = prefix + "hourly";
    scheduledJob(dagId, "0 * * * *");
    LocalSchedules schedules = schedules(LocalSchedules.PAGE_SIZE);
    schedules.fire();
    assertThat(lastTick(dagId)).contains(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(schedules.settledCount()).isEqualTo(1);

    // Within the same hour a pass leaves the settled DAG alone: the row it would record again
    // stays away.
    forgetTick(dagId);
    clock.set(Instant.parse("2026-03-01T10:59:59Z"));
    schedules.fire();
    assertThat(lastTick(dagId)).isEmpty();

    // Once the next tick is due the DAG is read again (here: seen as new, its tick recorded).
    clock.set(Instant.parse("2026-03-01T11:00:00Z"));
    schedules.fire();
    assertThat(lastTick(dagId)).contains(Instant.parse("2026-03-01T11:00:00Z"));

    // A changed schedule is read again at once, whatever was settled under the old one.
    forgetTick(dagId);
    jdbi.useHandle(
        h -> h.execute("UPDATE jobs SET schedule = '*/5 * * * *' WHERE dag_id = ?", dagId));
    clock.set(Instant.parse("2026-03-01T11:00:10Z"));
    schedules.fire();
    assertThat(lastTick(dagId)).contains(Instant.parse("2026-03-01T11:00:00Z"));

    // A DAG no longer scheduled is forgotten by the next pass.
    jdbi.useHandle(h -> h.execute("UPDATE jobs SET is_deleted = TRUE WHERE dag_id = ?", dagId));
    schedules.fire();
    assertThat(schedules.settledCount()).isZero();
  }

  private LocalSchedules schedules(int pageSize) {
    TaskCommands commands = new TaskCommands(jdbi, new ObjectMapper(), ExecutorConfig.none());
    return new LocalSchedules(jdbi, commands, (dag, run, command) -> true, clock, pageSize);
  }

  private void scheduledJob(String dagId, String schedule) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO jobs (job_id, job_name, owner_id, job_type, schedule, status,
                                      dag_id, rendered_dag, created_at, updated_at)
                    VALUES (:id, :dag, 'owner', 'airflow.dataeng', :schedule, 'scheduled',
                            :dag, 'dag', :now, :now)
                    """)
                .bind("id", UUID.randomUUID())
                .bind("dag", dagId)
                .bind("schedule", schedule)
                .bind("now", NOW)
                .execute());
  }

  private List<String> recorded() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT dag_id FROM local_schedules WHERE dag_id LIKE :p ORDER BY dag_id")
                .bind("p", prefix + "%")
                .mapTo(String.class)
                .list());
  }

  private Optional<Instant> lastTick(String dagId) {
    return jdbi.withExtension(LocalRunDao.class, dao -> dao.lastTick(dagId));
  }

  private void forgetTick(String dagId) {
    jdbi.useExtension(LocalRunDao.class, dao -> dao.forgetSchedule(dagId));
  }
}

class LocalSchedulesH2Test extends LocalSchedulesContract {
  @Override
  DatabaseConfig database() {
    return TestDatabases.h2();
  }
}

class LocalSchedulesPostgresTest extends LocalSchedulesContract {
  @Override
  DatabaseConfig database() {
    return TestDatabases.postgres();
  }
}
