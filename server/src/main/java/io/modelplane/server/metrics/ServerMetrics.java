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
 * registers its meters here; {@link #scrape()} renders them for {@code /metrics}. The JVM's meters
 * (which start JMX, ~100 ms of a start) are bound by {@link #bindJvmMetrics()}, which the server
 * calls once it is ready, and at the latest by the first scrape.
 */
public final class ServerMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final Optional<PrometheusMeterRegistry> prometheus;
  private final List<Runnable> beforeScrape = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private boolean jvmBound;

  private ServerMetrics(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  public static ServerMetrics create(boolean enabled) {
    if (!enabled) {
      return new ServerMetrics(new CompositeMeterRegistry(), Optional.empty());
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new ServerMetrics(prometheus, Optional.of(prometheus));
  }

  /** Binds the JVM's meters (memory, GC, threads, classes, CPU, uptime) once; no-op if disabled. */
  public synchronized void bindJvmMetrics() {
    if (jvmBound || prometheus.isEmpty()) {
      return;
    }
    jvmBound = true;
    MeterRegistry target = prometheus.get();
    new ClassLoaderMetrics().bindTo(target);
    new JvmMemoryMetrics().bindTo(target);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(target);
    closeables.add(gc);
    new JvmThreadMetrics().bindTo(target);
    new ProcessorMetrics().bindTo(target);
    new UptimeMetrics().bindTo(target);
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
    bindJvmMetrics();
    refreshes.forEach(Runnable::run);
    return prometheus.map(PrometheusMeterRegistry::scrape).orElse("");
  }

  @Override
  public synchronized void close() {
    jvmBound = true; // never bound after the close
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
