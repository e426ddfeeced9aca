package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code jobs} (data-engineering jobs); {@code propertiesJson} is a JSON object. */
public record JobRow(
    UUID jobId,
    String jobName,
    String ownerId,
    String jobType,
    String source,
    String destination,
    String schedule,
    String propertiesJson,
    String status,
    String statusMessage,
    String dagId,
    String airflowDagRunId,
    int attempt,
    String renderedDag,
    Instant createdAt,
    Instant updatedAt,
    Instant lastStartedAt,
    Instant lastCompletedAt,
    Instant lastFailedAt,
    boolean isDeleted,
    Instant deletedAt,
    Integer maxRunTimeSeconds,
    Instant reconciledAt) {}
