package io.modelplane.server.outbox;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code outbox_tasks}: an action on an external system. */
public record OutboxTaskRow(
    long taskId,
    String kind,
    UUID jobId,
    UUID deploymentId,
    UUID runId,
    String payload,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    String state,
    Instant createdAt,
    Instant finishedAt) {}
