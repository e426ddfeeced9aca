package io.modelplane.server.service;

/** What a DAG task reports about its training job. */
public record StatusWriteback(
    TrainingJobStatus status,
    String mlflowRunId,
    String registeredModelName,
    String errorMessage) {}
