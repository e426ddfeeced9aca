package io.modelplane.server.service;

import io.modelplane.server.config.ExecutorConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a trigger names its DAG run. Sent to Airflow, the id is Modelplane's own ({@code
 * modelplane__<job>__<attempt>}, {@code modelplane__<run>}). Run by the local executor, runs are
 * named as Airflow names its own: {@code manual__<logical date>} for a trigger, {@code
 * scheduled__<tick>} for a cron tick, the date written as Python's {@code datetime.isoformat()}
 * writes it ({@code 2026-11-30T13:00:00.123456+00:00}; no fraction when the microseconds are 0), so
 * a run id is also the run's logical date, as the runner's partitions see it in Airflow's own runs.
 *
 * <p>Two manual triggers of one DAG within the same microsecond would get one id: a trigger is
 * always named after the newest manual run of its DAG (read under the lock of the job or
 * deployment), one microsecond later when the clock has not moved past it.
 */
public enum DagRunIds {
  /** Modelplane's own ids: the work goes to Airflow. */
  MODELPLANE,
  /** Airflow's forms: the local executor runs the work. */
  AIRFLOW_FORMS;

  private static final String MANUAL = "manual__";
  private static final String SCHEDULED = "scheduled__";
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /** The ids a trigger gets when {@code executor} runs the work. */
  public static DagRunIds forExecutor(ExecutorConfig.Kind executor) {
    return executor == ExecutorConfig.Kind.LOCAL ? AIRFLOW_FORMS : MODELPLANE;
  }

  /**
   * The id of a manual trigger.
   *
   * @param modelplaneId the id in Modelplane's form
   * @param now the time of the trigger
   * @param latestManual the newest manual run id of the same DAG, or null
   */
  public String manual(Supplier<String> modelplaneId, Instant now, String latestManual) {
    if (this == MODELPLANE) {
      return modelplaneId.get();
    }
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    Optional<Instant> latest =
        latestManual == null || !latestManual.startsWith(MANUAL)
            ? Optional.empty()
            : logicalDate(latestManual);
    if (latest.isPresent() && !at.isAfter(latest.get())) {
      at = latest.get().plus(1, ChronoUnit.MICROS);
    }
    return MANUAL + isoformat(at);
  }

  /** The id Airflow gives the run of a cron tick. */
  public static String scheduled(Instant tick) {
    return SCHEDULED + isoformat(tick);
  }

  /** The logical date of a run named in Airflow's form; empty for any other id. */
  public static Optional<Instant> logicalDate(String dagRunId) {
    String date;
    if (dagRunId.startsWith(MANUAL)) {
      date = dagRunId.substring(MANUAL.length());
    } else if (dagRunId.startsWith(SCHEDULED)) {
      date = dagRunId.substring(SCHEDULED.length());
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(date).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code datetime.isoformat()} of a UTC time, as the DAGs pass a logical date: six digits of
   * fraction, or none at all.
   */
  public static String isoformat(Instant at) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    int fraction = micros.getNano() / 1000;
    return SECONDS.format(micros)
        + (fraction == 0 ? "" : String.format(java.util.Locale.ROOT, ".%06d", fraction))
        + "+00:00";
  }
}
