package io.modelplane.server.service;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Set;

/** Airflow schedules: a 5-field cron expression or one of Airflow's presets. */
public final class CronSchedule {
  private static final Set<String> PRESETS =
      Set.of(
          "@once",
          "@continuous",
          "@hourly",
          "@daily",
          "@weekly",
          "@monthly",
          "@quarterly",
          "@yearly",
          "@annually",
          "@midnight");
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private CronSchedule() {}

  /**
   * Returns the schedule (trimmed) when valid, null for null; a 422 at the body's {@code schedule}
   * otherwise.
   */
  public static String validate(String schedule) {
    if (schedule == null) {
      return null;
    }
    String trimmed = schedule.trim();
    if (PRESETS.contains(trimmed)) {
      return trimmed;
    }
    if (trimmed.split("\\s+").length == 5) {
      try {
        UNIX.parse(trimmed).validate();
        return trimmed;
      } catch (IllegalArgumentException e) {
        // fall through to the error below
      }
    }
    throw InvalidRequestException.invalidValue(
        InvalidRequestException.Part.BODY,
        "schedule must be a 5-field cron expression (e.g. '0 3 * * *') or an Airflow"
            + " preset such as @daily",
        "schedule");
  }
}
