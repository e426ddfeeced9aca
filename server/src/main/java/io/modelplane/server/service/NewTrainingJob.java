package io.modelplane.server.service;

import com.fasterxml.jackson.annotation.JsonInclude;
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
    String idempotencyKey,
    // Left out of the request's fingerprint when absent, as it was before the field existed.
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxRunTimeSeconds) {}
