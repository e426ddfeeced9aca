package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code platform_events}: an event of the feed. {@code seq} is null until the
 * dispatcher sequenced it; {@code subscriptionId} is set for a ping (sent to that subscription
 * only).
 */
public record PlatformEventRow(
    long eventId,
    Long seq,
    String eventType,
    UUID subjectId,
    String fromValue,
    String toValue,
    String data,
    UUID subscriptionId,
    Instant createdAt) {}
