package io.modelplane.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelplane.server.api.model.AutoMLTrainingStatusUpdate;
import io.modelplane.server.api.model.BatchRunCallback;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code modelplane_writebacks_total} and {@code modelplane_run_callbacks_total}: the status
 * writebacks of training DAGs and the run callbacks of scoring DAGs, by the status they report and
 * the HTTP status they got. The reported status is taken from the body as Jersey reads it, so the
 * resources need not know about metrics.
 */
public final class CallbackMetrics implements ReaderInterceptor, ContainerResponseFilter {
  private static final String REPORTED = "modelplane.metrics.reported";

  private final MeterRegistry registry;

  /** Each counter, registered on first use (not looked up in the registry per request). */
  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

  public CallbackMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private record Key(Reported reported, int httpStatus) {}

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    Object entity = context.proceed();
    Reported reported = null;
    if (entity instanceof AutoMLTrainingStatusUpdate update && update.getStatus() != null) {
      reported = new Reported("modelplane.writebacks", update.getStatus().toString());
    } else if (entity instanceof BatchRunCallback callback && callback.getStatus() != null) {
      reported = new Reported("modelplane.run.callbacks", callback.getStatus().toString());
    }
    if (reported != null) {
      context.setProperty(REPORTED, reported);
    }
    return entity;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(REPORTED) instanceof Reported reported) {
      Key key = new Key(reported, response.getStatus());
      Counter counter = counters.get(key);
      if (counter == null) {
        counter = counters.computeIfAbsent(key, this::register);
      }
      counter.increment();
    }
  }

  private Counter register(Key key) {
    Reported reported = key.reported();
    return Counter.builder(reported.meter())
        .description(
            reported.meter().equals("modelplane.writebacks")
                ? "Training status writebacks by reported status and HTTP status"
                : "Deployment run callbacks by reported status and HTTP status")
        .tag("status", reported.status().toLowerCase(Locale.ROOT))
        .tag("http_status", Integer.toString(key.httpStatus()))
        .register(registry);
  }

  private record Reported(String meter, String status) {}
}
