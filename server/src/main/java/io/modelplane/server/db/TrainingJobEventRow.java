package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code training_job_events}: a status change. */
public record TrainingJobEventRow(
    long eventId,
    UUID jobId,
    String fromStatus,
    String toStatus,
    String actor,
    String reason,
    Instant createdAt) {}
