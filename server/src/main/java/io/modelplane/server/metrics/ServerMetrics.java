package io.modelplane.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's meter registry: Prometheus when metrics are enabled (with the JVM's memory, GC,
 * threads, classes, CPU and uptime), else a registry that keeps nothing. Everything that measures
 * registers its meters here; {@link #scrape()} renders them for {@code /metrics}.
 */
public final class ServerMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final Optional<PrometheusMeterRegistry> prometheus;
  private final List<Runnable> beforeScrape = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private ServerMetrics(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  public static ServerMetrics create(boolean enabled) {
    if (!enabled) {
      return new ServerMetrics(new CompositeMeterRegistry(), Optional.empty());
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMetrics metrics = new ServerMetrics(prometheus, Optional.of(prometheus));
    new ClassLoaderMetrics().bindTo(prometheus);
    new JvmMemoryMetrics().bindTo(prometheus);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(prometheus);
    metrics.closeables.add(gc);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    new UptimeMetrics().bindTo(prometheus);
    return metrics;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public boolean enabled() {
    return prometheus.isPresent();
  }

  /** Runs before each scrape, e.g. to read the outbox table once for all its gauges. */
  public void beforeScrape(Runnable refresh) {
    synchronized (beforeScrape) {
      beforeScrape.add(refresh);
    }
  }

  /** The current values in Prometheus' text format (0.0.4); empty when metrics are disabled. */
  public String scrape() {
    List<Runnable> refreshes;
    synchronized (beforeScrape) {
      refreshes = List.copyOf(beforeScrape);
    }
    refreshes.forEach(Runnable::run);
    return prometheus.map(PrometheusMeterRegistry::scrape).orElse("");
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // closing listeners of the JVM's GC notifications cannot fail in a way that matters
      }
    }
    registry.close();
  }
}
