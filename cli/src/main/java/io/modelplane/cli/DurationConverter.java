package io.modelplane.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 90s}, {@code 15m}, {@code 2h}, {@code 1h30m} or an ISO-8601 {@code PT2H}. */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    String s = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.startsWith("p")) {
      try {
        return nonNegative(Duration.parse(s.toUpperCase(java.util.Locale.ROOT)), value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a duration");
      }
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (examples: 90s, 15m, 2h, 1h30m)");
    }
    return total;
  }

  private static Duration nonNegative(Duration d, String value) {
    if (d.isNegative()) {
      throw new TypeConversionException("'" + value + "' is negative");
    }
    return d;
  }

  /** {@code 4.2s}, {@code 1m05s}, {@code 2h03m}: short and sortable by eye. */
  static String format(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < 60) {
      return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    if (seconds < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
