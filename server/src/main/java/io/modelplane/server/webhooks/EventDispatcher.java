package io.modelplane.server.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.PlatformEventDao;
import io.modelplane.server.db.PlatformEventRow;
import io.modelplane.server.db.WebhookDao;
import io.modelplane.server.db.WebhookDeliveryRow;
import io.modelplane.server.db.WebhookSubscriptionRow;
import io.modelplane.server.service.events.EventRecord;
import io.modelplane.server.service.webhooks.WebhookService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Tails {@code platform_events}: in one transaction, under the lock of the sequencer row (one
 * dispatcher at a time, across server processes), it gives the committed events that have none
 * their place in the feed ({@code seq}, in the order found) and creates their deliveries to the
 * subscriptions that want them. An event committed late by a slow transaction is simply found by a
 * later pass and sequenced after the ones already served, so the feed never skips one; and as
 * sequencing and fan-out commit together, every event reaches its subscriptions exactly once.
 */
public final class EventDispatcher {
  static final int BATCH = 500;

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Clock clock;

  public EventDispatcher(Jdbi jdbi, ObjectMapper json, Clock clock) {
    this.jdbi = jdbi;
    this.json = json;
    this.clock = clock;
  }

  /** Sequences and fans out up to {@value #BATCH} events; returns how many. */
  public int pass() {
    return jdbi.inTransaction(
        handle -> {
          List<PlatformEventRow> rows = PlatformEventDao.sequenceNext(handle, BATCH);
          if (rows.isEmpty()) {
            return 0;
          }
          List<WebhookDeliveryRow> deliveries = fanOut(rows, WebhookDao.live(handle));
          if (!deliveries.isEmpty()) {
            handle.attach(WebhookDao.class).insertDeliveries(deliveries);
          }
          return rows.size();
        });
  }

  private List<WebhookDeliveryRow> fanOut(
      List<PlatformEventRow> rows, List<WebhookSubscriptionRow> subscriptions) {
    List<WebhookDeliveryRow> deliveries = new ArrayList<>();
    if (subscriptions.isEmpty()) {
      return deliveries;
    }
    List<Wants> wants =
        subscriptions.stream()
            .map(
                row ->
                    new Wants(
                        row,
                        Set.copyOf(WebhookService.eventTypesOf(row, json)),
                        WebhookService.filtersOf(row, json)))
            .toList();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    for (PlatformEventRow row : rows) {
      if (row.subscriptionId() != null) {
        continue; // a ping: its delivery was created with it
      }
      EventRecord event = EventRecord.of(row);
      for (Wants want : wants) {
        if (want.matches(row, event)) {
          deliveries.add(
              new WebhookDeliveryRow(
                  UUID.randomUUID(),
                  want.subscription().subscriptionId(),
                  row.eventId(),
                  "pending",
                  0,
                  0,
                  false,
                  now,
                  now));
        }
      }
    }
    return deliveries;
  }

  /** What one subscription wants: its types, and the values its filters require in data. */
  private record Wants(
      WebhookSubscriptionRow subscription, Set<String> types, Map<String, String> filters) {
    boolean matches(PlatformEventRow row, EventRecord event) {
      if (!types.contains(row.eventType())) {
        return false;
      }
      if (row.createdAt().isBefore(subscription.createdAt())) {
        return false; // happened before the subscription existed
      }
      for (Map.Entry<String, String> filter : filters.entrySet()) {
        Object value = event.data().get(filter.getKey());
        if (value == null || !String.valueOf(value).equals(filter.getValue())) {
          return false;
        }
      }
      return true;
    }
  }
}
