package io.modelplane.server.service;

import java.util.List;
import java.util.UUID;

/** A validated-by-schema request for a training job; the service applies the remaining rules. */
public record NewTrainingJob(
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
    boolean triggerNow,
    String idempotencyKey) {}
