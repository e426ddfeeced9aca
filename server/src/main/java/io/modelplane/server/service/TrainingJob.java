package io.modelplane.server.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A training job as the service sees it. */
public record TrainingJob(
    UUID jobId,
    String name,
    String domain,
    String owner,
    String sourceTable,
    String problemType,
    String algorithm,
    String preset,
    String labelColumn,
    List<String> featureColumns,
    String groupColumn,
    UUID featureEngineeringJobId,
    TrainingJobStatus status,
    String renderedDag,
    String mlflowRunId,
    String mlflowExperimentName,
    String registeredModelName,
    String airflowDagId,
    String airflowDagUrl,
    String executor,
    String airflowDagRunId,
    int attempt,
    String errorMessage,
    Instant createdAt,
    Instant updatedAt,
    Integer maxRunTimeSeconds) {}
