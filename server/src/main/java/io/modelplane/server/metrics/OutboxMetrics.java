package io.modelplane.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.modelplane.server.outbox.OutboxTaskKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox as the {@code outbox_tasks} table shows it, read once per scrape: tasks pending by
 * kind ({@code modelplane_outbox_depth}), how long the oldest due task has waited ({@code
 * modelplane_outbox_oldest_due_age_seconds}), attempts made and tasks failed for good by kind.
 */
public final class OutboxMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxMetrics.class);

  private final Jdbi jdbi;
  private final Clock clock;
  private final MultiGauge depth;
  private final MultiGauge attempts;
  private final MultiGauge failed;
  private volatile double oldestDueAgeSeconds;

  private OutboxMetrics(Jdbi jdbi, Clock clock, MeterRegistry registry) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.depth =
        MultiGauge.builder("modelplane.outbox.depth")
            .description("Outbox tasks waiting to be performed, by kind")
            .register(registry);
    this.attempts =
        MultiGauge.builder("modelplane.outbox.attempts")
            .description("Attempts made by the outbox tasks in the table, by kind")
            .register(registry);
    this.failed =
        MultiGauge.builder("modelplane.outbox.failed.tasks")
            .description("Outbox tasks that failed for good, by kind")
            .register(registry);
    Gauge.builder("modelplane.outbox.oldest.due.age", this, m -> m.oldestDueAgeSeconds)
        .description("How long the oldest due outbox task has been waiting (0 when none is due)")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Registers the gauges and reads the table before every scrape. */
  public static OutboxMetrics register(ServerMetrics metrics, Jdbi jdbi, Clock clock) {
    OutboxMetrics outbox = new OutboxMetrics(jdbi, clock, metrics.registry());
    if (metrics.enabled()) {
      metrics.beforeScrape(outbox::refresh);
    }
    return outbox;
  }

  /** Reads the table; on a database error the gauges keep their last values. */
  public void refresh() {
    Instant now = clock.instant();
    try {
      List<KindRow> rows =
          jdbi.withHandle(
              handle ->
                  handle
                      .createQuery(
                          "SELECT kind,"
                              + " SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,"
                              + " SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed,"
                              + " SUM(attempts) AS attempts"
                              + " FROM outbox_tasks GROUP BY kind")
                      .map(
                          (rs, ctx) ->
                              new KindRow(
                                  rs.getString("kind"),
                                  rs.getLong("pending"),
                                  rs.getLong("failed"),
                                  rs.getLong("attempts")))
                      .list());
      OffsetDateTime oldestDue =
          jdbi.withHandle(
              handle ->
                  handle
                      .createQuery(
                          "SELECT MIN(next_attempt_at) FROM outbox_tasks"
                              + " WHERE state = 'pending' AND next_attempt_at <= :now")
                      .bind("now", OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC))
                      .mapTo(OffsetDateTime.class)
                      .findOne()
                      .orElse(null));
      publish(rows);
      oldestDueAgeSeconds =
          oldestDue == null
              ? 0
              : Math.max(0, Duration.between(oldestDue.toInstant(), now).toMillis() / 1000.0);
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the outbox for metrics: {}", e.toString());
    }
  }

  private void publish(List<KindRow> rows) {
    Map<String, KindRow> byKind = new ConcurrentHashMap<>();
    for (OutboxTaskKind kind : OutboxTaskKind.values()) {
      byKind.put(kind.value(), new KindRow(kind.value(), 0, 0, 0));
    }
    rows.forEach(row -> byKind.put(row.kind(), row));
    List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
    List<MultiGauge.Row<?>> attemptRows = new ArrayList<>();
    List<MultiGauge.Row<?>> failedRows = new ArrayList<>();
    for (KindRow row : byKind.values()) {
      Tags tags = Tags.of("kind", row.kind());
      depthRows.add(MultiGauge.Row.of(tags, row.pending()));
      attemptRows.add(MultiGauge.Row.of(tags, row.attempts()));
      failedRows.add(MultiGauge.Row.of(tags, row.failed()));
    }
    depth.register(depthRows, true);
    attempts.register(attemptRows, true);
    failed.register(failedRows, true);
  }

  private record KindRow(String kind, long pending, long failed, long attempts) {}
}
