package io.modelplane.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when something sleeps on it: tests wait without waiting. */
final class FakeTime extends Clock implements Sleeper {

  private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  /**
   * A client of {@code baseUrl} with PSK {@code test-psk} and the default retries, whose waits pass
   * on a fresh fake time.
   */
  static ModelplaneClient retryingClient(String baseUrl) {
    return ModelplaneClient.builder()
        .baseUrl(baseUrl)
        .psk("test-psk")
        .retryPolicy(RetryPolicy.builder().sleeper(new FakeTime()).build())
        .build();
  }

  /** Every wait so far, in order. */
  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
