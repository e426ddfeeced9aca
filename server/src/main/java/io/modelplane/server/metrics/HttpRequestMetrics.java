package io.modelplane.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds}: every API request by route template (never the raw path,
 * which would carry ids), method and status, with a latency histogram.
 */
public final class HttpRequestMetrics {
  private final MeterRegistry registry;

  /**
   * The timer of each (method, route, status), registered on first use: building the id and looking
   * it up in the registry on every request cost more than recording.
   */
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  public HttpRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String method, String route, int status, long nanos) {
    Key key = new Key(method, route, status);
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, this::register);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private record Key(String method, String route, int status) {}

  private Timer register(Key key) {
    String method = key.method();
    String route = key.route();
    int status = key.status();
    return Timer.builder("http.server.requests")
        .description("HTTP requests by route template, method and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .tag("outcome", outcome(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  private static String outcome(int status) {
    if (status >= 500) {
      return "server_error";
    }
    if (status >= 400) {
      return "client_error";
    }
    return status >= 300 ? "redirection" : "success";
  }
}
