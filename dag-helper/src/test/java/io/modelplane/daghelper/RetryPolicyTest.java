package io.modelplane.daghelper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.Execution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits and the end of a writeback's retries, as its Failsafe policy decides them. */
class RetryPolicyTest {

  /** The wait Failsafe chooses after {@code failures} failed attempts. */
  private static Duration waitAfter(RetryPolicy policy, int failures) {
    Execution<Object> execution = Execution.of(policy.failsafe());
    for (int i = 0; i < failures; i++) {
      execution.recordResult("HTTP 503");
    }
    assertThat(execution.isComplete()).isFalse();
    return execution.getDelay();
  }

  @Test
  void waitsAreFullyJitteredUpToADoublingBoundCappedAtTheMaximum() {
    RetryPolicy policy =
        new RetryPolicy(Duration.ofHours(1), Duration.ofMillis(100), Duration.ofMillis(400));
    List<Duration> bounds =
        List.of(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(400));
    for (int retry = 1; retry <= bounds.size(); retry++) {
      Duration bound = bounds.get(retry - 1);
      List<Duration> waits = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        waits.add(waitAfter(policy, retry));
      }
      assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(Duration.ZERO, bound));
      // Full jitter: the whole range is used (the chance of a false failure is nil).
      assertThat(waits).anySatisfy(w -> assertThat(w).isLessThan(bound.dividedBy(4)));
      assertThat(waits)
          .anySatisfy(w -> assertThat(w).isGreaterThan(bound.multipliedBy(3).dividedBy(4)));
    }
  }

  @Test
  void aFirstBackoffLongerThanTheDeadlineIsCutToIt() {
    RetryPolicy policy =
        new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));

    for (int i = 0; i < 100; i++) {
      assertThat(waitAfter(policy, 1)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void retriesEndOnceTheDeadlinePassed() throws InterruptedException {
    RetryPolicy policy =
        new RetryPolicy(Duration.ofMillis(1), Duration.ofNanos(10), Duration.ofNanos(10));
    Execution<Object> execution = Execution.of(policy.failsafe());

    Thread.sleep(20);
    execution.recordResult("HTTP 503");

    assertThat(execution.isComplete()).isTrue();
  }
}
