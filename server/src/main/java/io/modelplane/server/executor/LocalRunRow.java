package io.modelplane.server.executor;

import java.time.Instant;

/** One row of {@code local_runs}; {@code command} is the JSON array of the child's argv. */
public record LocalRunRow(
    long runKey,
    String dagId,
    String dagRunId,
    String command,
    String state,
    Long pid,
    Instant pidStartedAt,
    String logFile,
    Integer exitCode,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt) {}
