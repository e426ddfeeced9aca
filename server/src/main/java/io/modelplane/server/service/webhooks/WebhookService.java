package io.modelplane.server.service.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.Keyset;
import io.modelplane.server.db.PlatformEventDao;
import io.modelplane.server.db.PlatformEventRow;
import io.modelplane.server.db.WebhookAttemptRow;
import io.modelplane.server.db.WebhookDao;
import io.modelplane.server.db.WebhookDeliveryRow;
import io.modelplane.server.db.WebhookSubscriptionRow;
import io.modelplane.server.service.Caller;
import io.modelplane.server.service.ConflictException;
import io.modelplane.server.service.InvalidRequestException;
import io.modelplane.server.service.NotFoundException;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.PageTokens;
import io.modelplane.server.service.events.EventLog;
import io.modelplane.server.service.events.EventRecord;
import io.modelplane.server.service.events.EventType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook subscriptions, their delivery log, pings and redeliveries. Who may call it (the platform
 * PSK or an administrator) is decided by the authorization filter. Secrets are never logged.
 */
public final class WebhookService {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> FILTERS =
      new TypeReference<>() {};

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final WebhookTargetPolicy targets;
  private final Clock clock;

  public WebhookService(Jdbi jdbi, ObjectMapper json, WebhookTargetPolicy targets, Clock clock) {
    this.jdbi = jdbi;
    this.json = json;
    this.targets = targets;
    this.clock = clock;
  }

  /** Subscribes {@code url}; the answer holds the secret, which is shown nowhere else. */
  public IssuedWebhook create(
      String url, List<EventType> eventTypes, Map<String, String> filters, Caller caller) {
    targets
        .refusal(url)
        .ifPresent(
            reason -> {
              throw InvalidRequestException.invalidValue(
                  InvalidRequestException.Part.BODY, reason, "url");
            });
    Map<String, String> kept = filters == null ? Map.of() : filters;
    for (String key : kept.keySet()) {
      if (key.isEmpty() || key.length() > 64) {
        throw InvalidRequestException.invalidValue(
            InvalidRequestException.Part.BODY,
            "a filter names a field of the event's data (1 to 64 characters)",
            "filters");
      }
    }
    List<String> types =
        List.copyOf(new LinkedHashSet<>(eventTypes.stream().map(EventType::value).toList()));
    String secret = WebhookSignature.newSecret();
    WebhookSubscriptionRow row =
        new WebhookSubscriptionRow(
            UUID.randomUUID(),
            url,
            toJson(types),
            toJson(kept),
            secret,
            caller.name(),
            now(),
            null,
            null);
    jdbi.useExtension(WebhookDao.class, dao -> dao.insertSubscription(row));
    LOG.info(
        "Webhook {} created by {} for {} ({})",
        row.subscriptionId(),
        caller.name(),
        types,
        hostOf(url));
    return new IssuedWebhook(toWebhook(row), secret);
  }

  /** One page of live subscriptions, newest first. */
  public Page<Webhook> list(int pageSize, String pageToken) {
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<WebhookSubscriptionRow> rows =
        jdbi.withExtension(
            WebhookDao.class,
            dao ->
                after == null
                    ? dao.firstPage(pageSize + 1)
                    : dao.pageAfter(after.createdAt(), after.id(), pageSize + 1));
    String next = null;
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      WebhookSubscriptionRow last = rows.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.subscriptionId()));
    }
    return new Page<>(rows.stream().map(this::toWebhook).toList(), next);
  }

  public Webhook get(UUID id) {
    return toWebhook(live(id));
  }

  /** Deletes a subscription; its pending deliveries are cancelled in the same transaction. */
  public void delete(UUID id, Caller caller) {
    int cancelled =
        jdbi.inTransaction(
            handle -> {
              WebhookDao dao = handle.attach(WebhookDao.class);
              if (dao.delete(id, now()) == 0) {
                throw notFound(id);
              }
              return dao.cancelPending(id);
            });
    LOG.info(
        "Webhook {} deleted by {} ({} pending deliveries cancelled)", id, caller.name(), cancelled);
  }

  /** Queues a ping for this subscription alone: its event and delivery in one transaction. */
  public WebhookDelivery ping(UUID id, Caller caller) {
    UUID deliveryId = UUID.randomUUID();
    jdbi.useTransaction(
        handle -> {
          WebhookDao dao = handle.attach(WebhookDao.class);
          dao.findLive(id).orElseThrow(() -> notFound(id));
          Instant now = now();
          long eventId = EventLog.ping(handle, id, now);
          dao.insertDeliveries(
              List.of(
                  new WebhookDeliveryRow(
                      deliveryId, id, eventId, "pending", 0, 0, false, now, now)));
        });
    LOG.info("Webhook {} pinged by {} (delivery {})", id, caller.name(), deliveryId);
    return delivery(id, deliveryId);
  }

  /** One page of a subscription's deliveries, newest first, each with its attempts. */
  public Page<WebhookDelivery> deliveries(UUID id, int pageSize, String pageToken) {
    live(id);
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<WebhookDeliveryRow> rows =
        jdbi.withExtension(
            WebhookDao.class,
            dao ->
                after == null
                    ? dao.firstDeliveries(id, pageSize + 1)
                    : dao.deliveriesAfter(id, after.createdAt(), after.id(), pageSize + 1));
    String next = null;
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      WebhookDeliveryRow last = rows.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.deliveryId()));
    }
    return new Page<>(toDeliveries(rows), next);
  }

  /** Queues a delivery again now (same delivery id and {@code webhook-id}, fresh retries). */
  public WebhookDelivery redeliver(UUID id, UUID deliveryId, Caller caller) {
    live(id);
    jdbi.useTransaction(
        handle -> {
          WebhookDao dao = handle.attach(WebhookDao.class);
          WebhookDeliveryRow row =
              dao.findDelivery(deliveryId)
                  .filter(found -> found.subscriptionId().equals(id))
                  .orElseThrow(
                      () -> new NotFoundException("Delivery " + deliveryId + " not found"));
          if (dao.requeue(row.deliveryId(), now()) == 0) {
            throw new ConflictException(
                "Delivery " + deliveryId + " is being attempted now: try again when it settled");
          }
        });
    LOG.info("Webhook {} delivery {} queued again by {}", id, deliveryId, caller.name());
    return delivery(id, deliveryId);
  }

  private WebhookDelivery delivery(UUID id, UUID deliveryId) {
    WebhookDeliveryRow row =
        jdbi.withExtension(WebhookDao.class, dao -> dao.findDelivery(deliveryId))
            .filter(found -> found.subscriptionId().equals(id))
            .orElseThrow(() -> new NotFoundException("Delivery " + deliveryId + " not found"));
    return toDeliveries(List.of(row)).get(0);
  }

  private List<WebhookDelivery> toDeliveries(List<WebhookDeliveryRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<UUID> ids = rows.stream().map(WebhookDeliveryRow::deliveryId).toList();
    List<Long> eventIds = rows.stream().map(WebhookDeliveryRow::eventId).distinct().toList();
    Map<UUID, List<WebhookAttemptRow>> attempts =
        jdbi.withExtension(WebhookDao.class, dao -> dao.attemptsOf(ids)).stream()
            .collect(Collectors.groupingBy(WebhookAttemptRow::deliveryId));
    Map<Long, PlatformEventRow> events =
        jdbi.withExtension(PlatformEventDao.class, dao -> dao.findAll(eventIds)).stream()
            .collect(Collectors.toMap(PlatformEventRow::eventId, Function.identity()));
    List<WebhookDelivery> deliveries = new ArrayList<>();
    for (WebhookDeliveryRow row : rows) {
      PlatformEventRow event = events.get(row.eventId());
      deliveries.add(
          new WebhookDelivery(
              row.deliveryId(),
              row.subscriptionId(),
              EventRecord.idOf(row.eventId()),
              EventType.of(event.eventType()),
              row.state(),
              row.attempts(),
              "pending".equals(row.state()) ? row.nextAttemptAt() : null,
              row.createdAt(),
              attempts.getOrDefault(row.deliveryId(), List.of()).stream()
                  .map(
                      a ->
                          new WebhookDelivery.Attempt(
                              a.attempt(),
                              a.attemptedAt(),
                              a.statusCode(),
                              a.latencyMs(),
                              a.responseBody(),
                              a.error()))
                  .toList()));
    }
    return deliveries;
  }

  private WebhookSubscriptionRow live(UUID id) {
    return jdbi.withExtension(WebhookDao.class, dao -> dao.findLive(id))
        .orElseThrow(() -> notFound(id));
  }

  /** The subscription as the API shows it. */
  Webhook toWebhook(WebhookSubscriptionRow row) {
    return new Webhook(
        row.subscriptionId(),
        row.url(),
        eventTypesOf(row, json).stream().map(EventType::of).toList(),
        filtersOf(row, json),
        row.createdBy(),
        row.createdAt(),
        row.failingSince());
  }

  /** The event types a subscription wants (wire names). */
  public static List<String> eventTypesOf(WebhookSubscriptionRow row, ObjectMapper json) {
    try {
      return json.readValue(row.eventTypes(), STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable event types of webhook " + row.subscriptionId());
    }
  }

  /** The filters of a subscription. */
  public static Map<String, String> filtersOf(WebhookSubscriptionRow row, ObjectMapper json) {
    try {
      return json.readValue(row.filters(), FILTERS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable filters of webhook " + row.subscriptionId());
    }
  }

  /** The host of a URL, for logs (the path and query may carry tokens: never logged). */
  public static String hostOf(String url) {
    try {
      return Optional.ofNullable(java.net.URI.create(url).getHost()).orElse("?");
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static NotFoundException notFound(UUID id) {
    return new NotFoundException("Webhook " + id + " not found");
  }
}
