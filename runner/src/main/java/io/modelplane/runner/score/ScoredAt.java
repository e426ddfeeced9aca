package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * The value of the partition column for one run: the DAG run's logical date, which every attempt of
 * the same run shares (so a rerun writes the same partition), truncated to the microseconds an
 * Iceberg timestamp holds. Without one (a run started by hand outside Airflow), the start time.
 */
final class ScoredAt {

  private ScoredAt() {}

  static Instant of(String logicalDate, Supplier<Instant> now) {
    if (logicalDate == null || logicalDate.isBlank()) {
      return now.get().truncatedTo(ChronoUnit.MICROS);
    }
    try {
      return OffsetDateTime.parse(logicalDate.trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException notOffset) {
      try {
        return Instant.parse(logicalDate.trim()).truncatedTo(ChronoUnit.MICROS);
      } catch (DateTimeParseException e) {
        throw new RunnerException(
            "--logical-date must be an ISO-8601 date-time with an offset, not '"
                + logicalDate
                + "'");
      }
    }
  }
}
