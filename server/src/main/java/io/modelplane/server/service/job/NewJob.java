package io.modelplane.server.service.job;

import java.util.Map;

/** A request to create a job; {@code propertiesJson} may be null. */
public record NewJob(
    JobType jobType,
    String jobName,
    String source,
    String destination,
    Map<String, Object> propertiesJson,
    String schedule,
    Integer maxRunTimeSeconds) {}
