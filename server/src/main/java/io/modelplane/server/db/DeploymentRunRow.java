package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code deployment_runs}; {@code tags} and {@code settings} are JSON objects or null;
 * {@code target*} is the table the run writes ({@code targetOverridden}: given at trigger time).
 */
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
    Instant updatedAt,
    String targetCatalog,
    String targetSchema,
    String targetTable,
    boolean targetOverridden,
    String settings) {

  /** This run in another state: the columns that a status change writes. */
  public DeploymentRunRow moved(
      String status,
      Long rowsScored,
      String errorMessage,
      Instant startedAt,
      Instant finishedAt,
      Instant now) {
    return new DeploymentRunRow(
        runId,
        deploymentId,
        airflowRunId,
        status,
        rowsScored,
        errorMessage,
        modelVersion,
        snapshotId,
        tags,
        idempotencyKey,
        requestHash,
        startedAt,
        finishedAt,
        createdAt,
        now,
        targetCatalog,
        targetSchema,
        targetTable,
        targetOverridden,
        settings);
  }
}
