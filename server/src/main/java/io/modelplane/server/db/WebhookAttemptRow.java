package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code webhook_delivery_attempts}: what one attempt of a delivery got. */
public record WebhookAttemptRow(
    long attemptId,
    UUID deliveryId,
    int attempt,
    Instant attemptedAt,
    Integer statusCode,
    long latencyMs,
    String responseBody,
    String error) {}
