package io.modelplane.server.executor;

import io.modelplane.server.service.DagRunIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A pass reads the scheduled DAGs (one query per page) and touches the database for a DAG only
 * when its latest tick may need something: a DAG whose latest tick this scheduler already settled
 * (recorded as the first, found fired, or fired) is skipped until its next tick is due, so a pass
 * over DAGs with nothing due costs no query per DAG and no cron evaluation.
 */
final class LocalSchedules {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSchedules.class);

  /** How a schedule's run enters the queue (false: a run of that id exists). */
  interface Queue {
    boolean enqueue(String dagId, String dagRunId, List<String> command);
  }

  private record Scheduled(String dagId, String schedule) {}

  /** The schedule a DAG's latest tick was settled under, and when its next tick is due. */
  private record Settled(String schedule, Instant nextTick) {}

  private final Map<String, Settled> settled = new ConcurrentHashMap<>();

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
    Set<String> seen = new HashSet<>();
    String after = "";
    List<Scheduled> page;
    do {
      page = page(after);
      for (Scheduled scheduled : page) {
        seen.add(scheduled.dagId());
        try {
          fireIfDue(scheduled, now);
        } catch (RuntimeException e) {
          LOG.warn("Schedule of {} not fired: {}", scheduled.dagId(), e.getMessage());
        }
      }
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).dagId();
      }
    } while (page.size() == pageSize);
    settled.keySet().retainAll(seen); // no longer scheduled: seen afresh when it is again
  }

  /** Forgets what was settled for a DAG (its schedule was deleted). */
  void forget(String dagId) {
    settled.remove(dagId);
  }

  /** How many DAGs have their latest tick settled (for tests). */
  int settledCount() {
    return settled.size();
  }

  private void fireIfDue(Scheduled scheduled, Instant now) {
    Settled last = settled.get(scheduled.dagId());
    if (last != null
        && last.schedule().equals(scheduled.schedule())
        && now.isBefore(last.nextTick())) {
      return; // its latest tick is settled and the next one is not due yet
    }
    Optional<Instant> tick = fire(scheduled, now);
    Optional<Instant> next = tick.flatMap(t -> CronTicks.next(scheduled.schedule(), t));
    if (next.isPresent()) {
      settled.put(scheduled.dagId(), new Settled(scheduled.schedule(), next.get()));
    } else {
      settled.remove(scheduled.dagId());
    }
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

  /**
   * Fires the DAG's latest tick if it is due; returns that tick once nothing more is to be done for
   * it (recorded as the first, fired already, or fired now), empty while it may still fire.
   */
  private Optional<Instant> fire(Scheduled scheduled, Instant now) {
    Optional<Instant> latest = CronTicks.latest(scheduled.schedule(), now);
    if (latest.isEmpty()) {
      return Optional.empty();
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
      return Optional.of(tick);
    }
    if (!tick.isAfter(last.get())) {
      return Optional.of(tick);
    }
    // max_active_runs=1, as in the rendered DAG: while a run of the DAG is queued or running, no
    // tick fires and none piles up; once it ends, the latest tick fires (catchup=False).
    if (jdbi.withExtension(LocalRunDao.class, dao -> dao.hasActiveRun(dagId))) {
      return Optional.empty();
    }
    String dagRunId = DagRunIds.scheduled(tick);
    Optional<List<String>> command = commands.of(dagId, dagRunId, Map.of(), tick);
    if (command.isEmpty()) {
      return Optional.empty();
    }
    int advanced = jdbi.withExtension(LocalRunDao.class, dao -> dao.advanceTick(dagId, tick));
    if (advanced == 1 && queue.enqueue(dagId, dagRunId, command.get())) {
      LOG.info("Schedule of {} fired for {}", dagId, tick);
    }
    return Optional.of(tick);
  }
}
