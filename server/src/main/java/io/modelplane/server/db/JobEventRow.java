package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code job_events}: a status change of a data-engineering job. */
public record JobEventRow(
    long eventId,
    UUID jobId,
    String fromStatus,
    String toStatus,
    String actor,
    String reason,
    Instant createdAt) {}
