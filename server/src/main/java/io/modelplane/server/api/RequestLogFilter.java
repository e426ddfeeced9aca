package io.modelplane.server.api;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.modelplane.server.api.auth.CallerSecurityContext;
import io.modelplane.server.metrics.HttpRequestMetrics;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.security.Principal;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (header {@code X-Request-Id}, echoed in the response and in every log
 * line) and writes one access log line per request: method, path, status, duration; the line's MDC
 * also holds the caller's name, the route template, the status and the duration (fields of the JSON
 * log format). Records the request in {@link HttpRequestMetrics} by route template. Headers and
 * query strings are never logged: they may hold secrets.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RequestLogFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final Logger ACCESS = LoggerFactory.getLogger("modelplane.access");
  private static final String STARTED = "modelplane.started";

  /** MDC keys of the access log line (the request id is {@link RequestIds#MDC_KEY}). */
  public static final String MDC_CALLER = "caller";

  public static final String MDC_ROUTE = "route";
  public static final String MDC_STATUS = "status";
  public static final String MDC_DURATION = "duration_ms";

  private final HttpRequestMetrics metrics;
  private final RouteTemplates routes = new RouteTemplates();

  public RequestLogFilter() {
    this(new HttpRequestMetrics(new CompositeMeterRegistry()));
  }

  public RequestLogFilter(HttpRequestMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    // A thread serves many requests: nothing of an earlier one (caller, route) may stay.
    MDC.remove(MDC_CALLER);
    MDC.remove(MDC_ROUTE);
    MDC.remove(MDC_STATUS);
    MDC.remove(MDC_DURATION);
    String id = RequestIds.choose(request.getHeaderString(RequestIds.HEADER));
    MDC.put(RequestIds.MDC_KEY, id);
    request.setProperty(RequestIds.MDC_KEY, id);
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(RequestIds.MDC_KEY);
    if (id != null) {
      response.getHeaders().putSingle(RequestIds.HEADER, id);
    }
    Object started = request.getProperty(STARTED);
    long nanos = started == null ? -1 : System.nanoTime() - (long) started;
    String route = routes.of(request);
    String duration = millis(nanos);
    if (started != null) {
      metrics.record(request.getMethod(), route, response.getStatus(), nanos);
    }
    Principal caller =
        request.getSecurityContext() == null
            ? null
            : request.getSecurityContext().getUserPrincipal();
    try {
      if (caller != null) {
        MDC.put(MDC_CALLER, caller.getName());
      }
      MDC.put(MDC_ROUTE, route);
      MDC.put(MDC_STATUS, Integer.toString(response.getStatus()));
      MDC.put(MDC_DURATION, duration);
      ACCESS.info(
          "{} /{} {} {}ms",
          request.getMethod(),
          request.getUriInfo().getPath(),
          response.getStatus(),
          duration);
    } finally {
      MDC.remove(MDC_CALLER);
      MDC.remove(MDC_ROUTE);
      MDC.remove(MDC_STATUS);
      MDC.remove(MDC_DURATION);
      MDC.remove(RequestIds.MDC_KEY);
      CallerSecurityContext.clearCurrent();
    }
  }

  /**
   * Nanoseconds as milliseconds with one decimal, rounded half up: what {@code
   * String.format("%.1f", nanos / 1e6)} gives, without a Formatter per request.
   */
  static String millis(long nanos) {
    if (nanos < 0) {
      return String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0);
    }
    long tenths = (nanos + 50_000) / 100_000;
    return (tenths / 10) + "." + (tenths % 10);
  }
}
