package io.modelplane.server.executor;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * The ticks of an Airflow schedule (a 5-field cron expression or a preset, in UTC as Airflow's
 * default timezone). {@code @once} and {@code @continuous} have no ticks here.
 */
final class CronTicks {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> PRESETS =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@quarterly", "0 0 1 */3 *",
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *");

  private CronTicks() {}

  /** The latest tick at or before {@code now}; empty for a schedule without ticks. */
  static Optional<Instant> latest(String schedule, Instant now) {
    return times(schedule)
        .flatMap(
            times -> {
              var at = now.atZone(ZoneOffset.UTC);
              if (times.isMatch(at.withNano(0)) && at.getSecond() == 0 && at.getNano() == 0) {
                return Optional.of(now);
              }
              return times.lastExecution(at).map(tick -> tick.toInstant());
            });
  }

  /** The first tick after {@code tick}; empty for a schedule without ticks or none to come. */
  static Optional<Instant> next(String schedule, Instant tick) {
    return times(schedule)
        .flatMap(times -> times.nextExecution(tick.atZone(ZoneOffset.UTC)))
        .map(next -> next.toInstant());
  }

  private static Optional<ExecutionTime> times(String schedule) {
    String trimmed = schedule.trim();
    String cron = PRESETS.getOrDefault(trimmed, trimmed);
    if (cron.startsWith("@")) {
      return Optional.empty();
    }
    return Optional.of(ExecutionTime.forCron(UNIX.parse(cron)));
  }
}
