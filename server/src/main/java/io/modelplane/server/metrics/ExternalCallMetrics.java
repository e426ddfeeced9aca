package io.modelplane.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code modelplane_external_calls_seconds}: the latency of calls to another system (Airflow,
 * MLflow) by operation and outcome ({@code ok} or the exception's simple name), so errors are the
 * series whose outcome is not {@code ok}.
 */
public final class ExternalCallMetrics {
  private final MeterRegistry registry;
  private final String system;

  public ExternalCallMetrics(MeterRegistry registry, String system) {
    this.registry = registry;
    this.system = system;
  }

  public <T> T time(String operation, Supplier<T> call) {
    long started = System.nanoTime();
    String outcome = "ok";
    try {
      return call.get();
    } catch (RuntimeException e) {
      outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      Timer.builder("modelplane.external.calls")
          .description("Calls to Airflow and MLflow by operation and outcome")
          .tag("system", system)
          .tag("operation", operation)
          .tag("outcome", outcome)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(60))
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  public void time(String operation, Runnable call) {
    time(
        operation,
        () -> {
          call.run();
          return null;
        });
  }
}
