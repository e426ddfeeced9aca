package io.modelplane.server.service;

import java.time.Instant;

/** One entry of a deployment's history: a status change, a model version change, a re-render. */
public record DeploymentEvent(
    long eventId,
    String kind,
    String fromStatus,
    String toStatus,
    String actor,
    String reason,
    Instant createdAt) {}
