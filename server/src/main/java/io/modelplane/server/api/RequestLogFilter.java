package io.modelplane.server.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (header {@code X-Request-Id}, echoed in the response and in every log
 * line) and writes one access log line per request: method, path, status, duration. Headers and
 * query strings are never logged: they may hold secrets.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RequestLogFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final Logger ACCESS = LoggerFactory.getLogger("modelplane.access");
  private static final String STARTED = "modelplane.started";

  @Override
  public void filter(ContainerRequestContext request) {
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
    long micros = started == null ? -1 : (System.nanoTime() - (long) started) / 1_000;
    ACCESS.info(
        "{} /{} {} {}ms",
        request.getMethod(),
        request.getUriInfo().getPath(),
        response.getStatus(),
        String.format("%.1f", micros / 1000.0));
    MDC.remove(RequestIds.MDC_KEY);
  }
}
