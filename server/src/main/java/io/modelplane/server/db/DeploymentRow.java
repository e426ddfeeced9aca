package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code deployments}; {@code entityColumns} and {@code allowedRoles} are JSON arrays.
 */
public record DeploymentRow(
    UUID deploymentId,
    String modelName,
    String name,
    String liveName,
    String type,
    String status,
    String domain,
    String owner,
    String modelVersion,
    String modelAlias,
    String resolvedModelVersion,
    String sourceCatalog,
    String sourceSchema,
    String sourceTable,
    String filterSql,
    Long snapshotId,
    String targetCatalog,
    String targetSchema,
    String targetTable,
    String entityColumns,
    String schedule,
    String rerunBehavior,
    String partitionColumn,
    String allowedRoles,
    String dagId,
    String dagS3Uri,
    String renderedDag,
    String errorMessage,
    Instant stoppedAt,
    UUID lastRunId,
    int version,
    Instant createdAt,
    Instant updatedAt) {}
