package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code deployment_runs}; {@code tags} is a JSON object or null. */
public record DeploymentRunRow(
    UUID runId,
    UUID deploymentId,
    String airflowRunId,
    String status,
    Long rowsScored,
    String errorMessage,
    String modelVersion,
    Long snapshotId,
    String tags,
    String idempotencyKey,
    String requestHash,
    Instant startedAt,
    Instant finishedAt,
    Instant createdAt,
    Instant updatedAt) {}
