package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class RequestLogMillisTest {

  @Test
  void theAccessLogDurationIsWhatFormattingWithOneDecimalGave() {
    long[] samples = {
      0,
      1,
      49_999,
      50_000,
      99_999,
      100_000,
      1_249_999,
      1_250_000,
      1_950_000,
      9_999_999,
      12_345_678,
      999_950_000,
      3_600_000_000_000L
    };
    for (long nanos : samples) {
      assertThat(RequestLogFilter.millis(nanos))
          .as("%d ns", nanos)
          .isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0));
    }
    for (long nanos = 0; nanos < 3_000_000; nanos += 777) {
      assertThat(RequestLogFilter.millis(nanos))
          .isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0));
    }
    assertThat(RequestLogFilter.millis(-1)).isEqualTo("-0.0");
  }
}
