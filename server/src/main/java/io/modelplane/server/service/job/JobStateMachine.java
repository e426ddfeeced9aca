package io.modelplane.server.service.job;

import static io.modelplane.server.service.job.JobStatus.COMPLETED;
import static io.modelplane.server.service.job.JobStatus.FAILED;
import static io.modelplane.server.service.job.JobStatus.NEW;
import static io.modelplane.server.service.job.JobStatus.PENDING;
import static io.modelplane.server.service.job.JobStatus.RUNNING;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows which status changes a data-engineering job may make. A job runs many
 * times (a schedule, manual triggers), so the end of one run is not final.
 *
 * <pre>
 * new → pending → running → completed | failed
 * new | pending → completed | failed     (fast tasks, a writeback that missed running)
 * completed | failed → running           (the next scheduled run; an Airflow task retry)
 * completed | failed → pending           (triggered again)
 * new is only where a job starts
 * </pre>
 */
public final class JobStateMachine {
  private static final Map<JobStatus, Set<JobStatus>> SOURCES =
      Map.of(
          NEW, EnumSet.noneOf(JobStatus.class),
          PENDING, EnumSet.of(NEW, COMPLETED, FAILED),
          RUNNING, EnumSet.of(NEW, PENDING, COMPLETED, FAILED),
          COMPLETED, EnumSet.of(NEW, PENDING, RUNNING),
          FAILED, EnumSet.of(NEW, PENDING, RUNNING));

  private JobStateMachine() {}

  /** Whether a job may move from {@code from} to {@code to}. */
  public static boolean allows(JobStatus from, JobStatus to) {
    return SOURCES.get(to).contains(from);
  }

  /** Statuses from which a trigger may start a run. */
  public static Set<JobStatus> triggerable() {
    return SOURCES.get(PENDING);
  }
}
