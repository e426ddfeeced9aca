package io.modelplane.server.service.webhooks;

import io.modelplane.server.service.events.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A webhook subscription as the API shows it (never with its secret). */
public record Webhook(
    UUID id,
    String url,
    List<EventType> eventTypes,
    Map<String, String> filters,
    String createdBy,
    Instant createdAt,
    Instant failingSince) {}
