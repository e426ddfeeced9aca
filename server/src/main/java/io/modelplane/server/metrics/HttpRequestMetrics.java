package io.modelplane.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code http_server_requests_seconds}: every API request by route template (never the raw path,
 * which would carry ids), method and status, with a latency histogram.
 */
public final class HttpRequestMetrics {
  private final MeterRegistry registry;

  public HttpRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String method, String route, int status, long nanos) {
    Timer.builder("http.server.requests")
        .description("HTTP requests by route template, method and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .tag("outcome", outcome(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(Duration.ofNanos(nanos));
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
