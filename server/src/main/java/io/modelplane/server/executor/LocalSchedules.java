package io.modelplane.server.executor;

import io.modelplane.server.service.DagRunIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the cron schedules of active deployments and of data-engineering jobs (until deleted), as
 * Airflow does with {@code catchup=False}: no back-fill, only the latest tick, named {@code
 * scheduled__<tick>}. A deployment seen for the first time starts counting from its latest tick (it
 * fires from the next one). The last fired tick is stored per DAG and moved forward in a
 * compare-and-set, and the run id is unique per DAG: a tick fires at most once, across restarts
 * too. A stopped deployment does not fire; started again, it fires its latest tick once when it
 * missed any (like an unpaused DAG in Airflow). As the rendered DAGs say {@code max_active_runs=1},
 * no tick fires while a run of the DAG is queued or running: ticks do not pile up behind a slow
 * run, and the latest one fires once it ended.
 */
final class LocalSchedules {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSchedules.class);

  /** How a schedule's run enters the queue (false: a run of that id exists). */
  interface Queue {
    boolean enqueue(String dagId, String dagRunId, List<String> command);
  }

  private record Scheduled(String dagId, String schedule) {}

  private final Jdbi jdbi;
  private final TaskCommands commands;
  private final Queue queue;
  private final java.time.Clock clock;

  LocalSchedules(Jdbi jdbi, TaskCommands commands, Queue queue, java.time.Clock clock) {
    this(jdbi, commands, queue, clock, PAGE_SIZE);
  }

  LocalSchedules(
      Jdbi jdbi, TaskCommands commands, Queue queue, java.time.Clock clock, int pageSize) {
    this.pageSize = pageSize;
    this.jdbi = jdbi;
    this.commands = commands;
    this.queue = queue;
    this.clock = clock;
  }

  /** Schedules read per query: memory stays bounded however many DAGs are scheduled. */
  static final int PAGE_SIZE = 500;

  private final int pageSize;

  void fire() {
    Instant now = clock.instant();
    String after = "";
    List<Scheduled> page;
    do {
      page = page(after);
      for (Scheduled scheduled : page) {
        try {
          fire(scheduled, now);
        } catch (RuntimeException e) {
          LOG.warn("Schedule of {} not fired: {}", scheduled.dagId(), e.getMessage());
        }
      }
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).dagId();
      }
    } while (page.size() == pageSize);
  }

  /** The next page of scheduled DAGs after {@code after}, in DAG id order. */
  private List<Scheduled> page(String after) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT dag_id, schedule FROM (
                      SELECT dag_id, schedule FROM deployments
                       WHERE status = 'active' AND schedule IS NOT NULL AND dag_id > :after
                      UNION ALL
                      SELECT dag_id, schedule FROM jobs
                       WHERE is_deleted = FALSE AND schedule IS NOT NULL
                         AND rendered_dag IS NOT NULL AND dag_id > :after
                    ) scheduled
                    ORDER BY dag_id
                    LIMIT :limit
                    """)
                .bind("after", after)
                .bind("limit", pageSize)
                .map((rs, ctx) -> new Scheduled(rs.getString(1), rs.getString(2)))
                .list());
  }

  private void fire(Scheduled scheduled, Instant now) {
    Optional<Instant> latest = CronTicks.latest(scheduled.schedule(), now);
    if (latest.isEmpty()) {
      return;
    }
    Instant tick = latest.get().truncatedTo(ChronoUnit.SECONDS);
    String dagId = scheduled.dagId();
    Optional<Instant> last = jdbi.withExtension(LocalRunDao.class, dao -> dao.lastTick(dagId));
    if (last.isEmpty()) {
      try {
        jdbi.useExtension(LocalRunDao.class, dao -> dao.firstTick(dagId, tick));
      } catch (UnableToExecuteStatementException e) {
        // another pass recorded it first
      }
      return;
    }
    if (!tick.isAfter(last.get())) {
      return;
    }
    // max_active_runs=1, as in the rendered DAG: while a run of the DAG is queued or running, no
    // tick fires and none piles up; once it ends, the latest tick fires (catchup=False).
    if (jdbi.withExtension(LocalRunDao.class, dao -> dao.hasActiveRun(dagId))) {
      return;
    }
    String dagRunId = DagRunIds.scheduled(tick);
    Optional<List<String>> command = commands.of(dagId, dagRunId, Map.of(), tick);
    if (command.isEmpty()) {
      return;
    }
    int advanced = jdbi.withExtension(LocalRunDao.class, dao -> dao.advanceTick(dagId, tick));
    if (advanced == 1 && queue.enqueue(dagId, dagRunId, command.get())) {
      LOG.info("Schedule of {} fired for {}", dagId, tick);
    }
  }
}
