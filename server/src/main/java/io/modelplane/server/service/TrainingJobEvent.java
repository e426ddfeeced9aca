package io.modelplane.server.service;

import java.time.Instant;
import java.util.UUID;

/** One status change of a training job. */
public record TrainingJobEvent(
    long eventId,
    UUID jobId,
    TrainingJobStatus fromStatus,
    TrainingJobStatus toStatus,
    String actor,
    String reason,
    Instant createdAt) {}
