package io.modelplane.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The wait of an outbox task after a failed attempt: a doubling bound, at most half taken off. */
class OutboxBackoffTest {
  private final OutboxBackoff backoff = new OutboxBackoff(Duration.ofSeconds(1));

  @Test
  void theBoundDoublesPerAttemptUpToAMinute() {
    RandomGenerator none = fixed(0);
    assertThat(backoff.afterFailed(1, none)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.afterFailed(2, none)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.afterFailed(6, none)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.afterFailed(7, none)).isEqualTo(Duration.ofMinutes(1));
    assertThat(backoff.afterFailed(1_000, none)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void jitterTakesOffAtMostHalfOfTheBound() {
    RandomGenerator most =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public long nextLong(long bound) {
            return bound - 1;
          }
        };
    assertThat(backoff.afterFailed(1, most)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.afterFailed(20, most)).isEqualTo(Duration.ofSeconds(30));
    for (int attempt = 1; attempt < 20; attempt++) {
      Duration bound = backoff.afterFailed(attempt, fixed(0));
      assertThat(backoff.afterFailed(attempt)).isBetween(bound.dividedBy(2), bound);
    }
  }

  private static RandomGenerator fixed(long value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long nextLong(long bound) {
        return value;
      }
    };
  }
}
