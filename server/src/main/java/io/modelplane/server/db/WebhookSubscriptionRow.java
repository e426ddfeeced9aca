package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code webhook_subscriptions}; {@code eventTypes} and {@code filters} are JSON, the
 * {@code secret} is kept to sign deliveries and never leaves the server after creation.
 */
public record WebhookSubscriptionRow(
    UUID subscriptionId,
    String url,
    String eventTypes,
    String filters,
    String secret,
    String createdBy,
    Instant createdAt,
    Instant failingSince,
    Instant deletedAt) {}
