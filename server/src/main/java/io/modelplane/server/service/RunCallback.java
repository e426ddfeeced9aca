package io.modelplane.server.service;

/** What the scoring DAG reports about one of its runs. */
public record RunCallback(
    String airflowRunId, RunStatus status, Long rowsScored, String errorMessage) {}
