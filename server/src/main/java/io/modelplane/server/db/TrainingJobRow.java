package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code training_jobs}; {@code featureColumns} is a JSON array or null, {@code
 * groupColumn} the query column of a ranking job; {@code idempotencyCaller} is the SHA-256 of the
 * identity of the caller that sent {@code idempotencyKey}.
 */
public record TrainingJobRow(
    UUID jobId,
    String name,
    String domain,
    String owner,
    String sourceTable,
    String problemType,
    String algorithm,
    String preset,
    String labelColumn,
    String featureColumns,
    String groupColumn,
    UUID featureEngineeringJobId,
    String status,
    String renderedDag,
    String mlflowRunId,
    String mlflowExperimentName,
    String registeredModelName,
    String airflowDagId,
    String airflowDagRunId,
    int attempt,
    String errorMessage,
    String idempotencyKey,
    String idempotencyCaller,
    String requestHash,
    Instant createdAt,
    Instant updatedAt,
    Integer maxRunTimeSeconds) {}
