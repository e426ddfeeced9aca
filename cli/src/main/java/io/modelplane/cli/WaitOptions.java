package io.modelplane.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout} of {@code wait} and {@code watch}. */
final class WaitOptions {

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2h",
      converter = DurationConverter.class,
      description = "Give up after this long (default 2h; e.g. 90s, 15m, 1h30m).")
  Duration timeout = Duration.ofHours(2);

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest delay between polls (default 15s; polls start at 1s and back off).")
  Duration maxPoll;
}
