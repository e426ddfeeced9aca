package io.modelplane.server.service;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One run of a batch deployment. */
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
    Instant createdAt) {}
