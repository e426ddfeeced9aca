package io.modelplane.server.service;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One run of a batch deployment, with the deployment's model and name, and what it used: the model
 * version, the target table (an override given at trigger time, or the deployment's) and settings.
 */
public record DeploymentRun(
    UUID runId,
    UUID deploymentId,
    String airflowRunId,
    RunStatus status,
    Long rowsScored,
    String errorMessage,
    String modelVersion,
    Long snapshotId,
    Map<String, String> tags,
    Instant startedAt,
    Instant finishedAt,
    Instant createdAt,
    String modelName,
    String deploymentName,
    TableRef target,
    boolean targetOverridden,
    Map<String, Object> settings) {}
