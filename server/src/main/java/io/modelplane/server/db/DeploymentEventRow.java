package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code deployment_events}. */
public record DeploymentEventRow(
    long eventId,
    UUID deploymentId,
    String kind,
    String fromStatus,
    String toStatus,
    String actor,
    String reason,
    Instant createdAt) {}
