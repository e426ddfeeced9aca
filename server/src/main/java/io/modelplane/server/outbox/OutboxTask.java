package io.modelplane.server.outbox;

import java.util.UUID;

/**
 * A task as the worker performs it: its kind, what it serves (a training job, or a deployment and
 * maybe one of its runs), its typed payload (null when it could not be read: the task then only
 * ends) and the number of this attempt.
 */
public record OutboxTask(
    long taskId,
    OutboxTaskKind kind,
    UUID jobId,
    UUID deploymentId,
    UUID runId,
    OutboxPayload payload,
    int attempt) {}
