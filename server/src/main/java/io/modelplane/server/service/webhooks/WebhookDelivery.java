package io.modelplane.server.service.webhooks;

import io.modelplane.server.service.events.EventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A delivery of an event to a subscription, with what each attempt got. */
public record WebhookDelivery(
    UUID id,
    UUID webhookId,
    String eventId,
    EventType eventType,
    String state,
    int attempts,
    Instant nextAttemptAt,
    Instant createdAt,
    List<Attempt> attemptLog) {

  /** One attempt: the receiver's status (null without an answer), latency, answer, error. */
  public record Attempt(
      int attempt,
      Instant attemptedAt,
      Integer statusCode,
      long latencyMs,
      String responseBody,
      String error) {}
}
