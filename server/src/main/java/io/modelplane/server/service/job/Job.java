package io.modelplane.server.service.job;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A data-engineering job as the service hands it out. */
public record Job(
    UUID id,
    String jobName,
    String ownerId,
    JobType jobType,
    String source,
    String destination,
    String schedule,
    Map<String, Object> propertiesJson,
    JobStatus status,
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
    Integer maxRunTimeSeconds) {}
