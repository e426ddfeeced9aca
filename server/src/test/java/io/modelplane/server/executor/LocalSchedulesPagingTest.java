package io.modelplane.server.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.db.Database;
import io.modelplane.server.support.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The scheduled DAGs are read in pages (memory bounded however many there are): every one of them
 * is seen in one pass, whatever the page size.
 */
abstract class LocalSchedulesPagingContract {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:30Z");

  abstract DatabaseConfig database();

  @Test
  void onePassSeesEveryScheduledDagAcrossPages() {
    try (Database database = Database.open(database())) {
      Jdbi jdbi = database.jdbi();
      String prefix = "paging_" + UUID.randomUUID().toString().substring(0, 8) + "_";
      List<String> dagIds = IntStream.range(0, 7).mapToObj(i -> prefix + i).toList();
      jdbi.useHandle(
          h -> {
            for (String dagId : dagIds) {
              h.createUpdate(
                      """
                      INSERT INTO jobs (job_id, job_name, owner_id, job_type, schedule, status,
                                        dag_id, rendered_dag, created_at, updated_at)
                      VALUES (:id, :dag, 'owner', 'airflow.dataeng', '* * * * *', 'scheduled',
                              :dag, 'dag', :now, :now)
                      """)
                  .bind("id", UUID.randomUUID())
                  .bind("dag", dagId)
                  .bind("now", NOW)
                  .execute();
            }
          });
      try {
        TaskCommands commands = new TaskCommands(jdbi, new ObjectMapper(), ExecutorConfig.none());
        LocalSchedules schedules =
            new LocalSchedules(
                jdbi, commands, (dag, run, command) -> true, Clock.fixed(NOW, ZoneOffset.UTC), 3);

        schedules.fire();

        // First sight of each schedule records its latest tick: all seven, over three pages.
        List<String> recorded =
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT dag_id FROM local_schedules WHERE dag_id LIKE :p ORDER BY dag_id")
                        .bind("p", prefix + "%")
                        .mapTo(String.class)
                        .list());
        assertThat(recorded).containsExactlyElementsOf(dagIds);
      } finally {
        // The database is shared by the API tests of the run: these rows are not API-made jobs.
        jdbi.useHandle(
            h -> {
              h.execute("DELETE FROM local_schedules WHERE dag_id LIKE ?", prefix + "%");
              h.execute("DELETE FROM jobs WHERE dag_id LIKE ?", prefix + "%");
            });
      }
    }
  }
}

class LocalSchedulesPagingH2Test extends LocalSchedulesPagingContract {
  @Override
  DatabaseConfig database() {
    return TestDatabases.h2();
  }
}

class LocalSchedulesPagingPostgresTest extends LocalSchedulesPagingContract {
  @Override
  DatabaseConfig database() {
    return TestDatabases.postgres();
  }
}
