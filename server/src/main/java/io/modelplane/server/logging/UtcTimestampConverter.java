package io.modelplane.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code %utcTime}: the event's time as {@code 2026-11-30T21:18:54.202Z}, what {@code
 * %d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC}} writes, with the part up to the second formatted once a
 * second instead of once a millisecond (every access log line would otherwise format a date).
 */
public final class UtcTimestampConverter extends ClassicConverter {
  private static final DateTimeFormatter TO_THE_SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.", Locale.ROOT).withZone(ZoneOffset.UTC);

  private record Second(long epochSecond, String text) {}

  private volatile Second last = new Second(Long.MIN_VALUE, "");

  @Override
  public String convert(ILoggingEvent event) {
    return format(event.getTimeStamp());
  }

  String format(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    Second second = last;
    if (second.epochSecond() != epochSecond) {
      second = new Second(epochSecond, TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond)));
      last = second;
    }
    StringBuilder text = new StringBuilder(second.text().length() + 4).append(second.text());
    if (millis < 100) {
      text.append('0');
    }
    if (millis < 10) {
      text.append('0');
    }
    return text.append(millis).append('Z').toString();
  }
}
