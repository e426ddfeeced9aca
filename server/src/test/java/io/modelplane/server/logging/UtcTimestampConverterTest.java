package io.modelplane.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class UtcTimestampConverterTest {
  private static final DateTimeFormatter LOGBACK_PATTERN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  @Test
  void writesWhatTheDatePatternWrote() {
    UtcTimestampConverter converter = new UtcTimestampConverter();
    long start = Instant.parse("2026-11-30T21:18:54.000Z").toEpochMilli();
    long[] times = {
      start,
      start + 1,
      start + 9,
      start + 10,
      start + 99,
      start + 100,
      start + 999,
      start + 1000,
      start + 1005,
      start + 86_400_000L + 42,
      start + 7,
      0,
      -1,
      1_000,
      253_402_300_799_999L
    };
    for (long time : times) {
      assertEquals(
          LOGBACK_PATTERN.format(Instant.ofEpochMilli(time)), converter.format(time), "at " + time);
    }
  }
}
