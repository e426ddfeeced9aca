package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code webhook_deliveries}: an event to send to a subscription. {@code attempts}
 * counts every attempt, {@code roundAttempts} those since the delivery was last (re)queued; {@code
 * leased} while a worker holds it (until {@code nextAttemptAt}).
 */
public record WebhookDeliveryRow(
    UUID deliveryId,
    UUID subscriptionId,
    long eventId,
    String state,
    int attempts,
    int roundAttempts,
    boolean leased,
    Instant nextAttemptAt,
    Instant createdAt) {}
