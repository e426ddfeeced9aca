package io.modelplane.server.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A deployment as the service sees it, with its latest run. */
public record Deployment(
    UUID deploymentId,
    String modelName,
    String name,
    String type,
    DeploymentStatus status,
    String domain,
    String owner,
    String modelVersion,
    String modelAlias,
    String resolvedModelVersion,
    TableRef source,
    String filterSql,
    Long snapshotId,
    TableRef target,
    List<String> entityColumns,
    String schedule,
    String rerunBehavior,
    String partitionColumn,
    List<String> allowedRoles,
    String dagId,
    String dagS3Uri,
    String renderedDag,
    String errorMessage,
    Instant stoppedAt,
    DeploymentRun lastRun,
    int version,
    Instant createdAt,
    Instant updatedAt,
    Integer maxRunTimeSeconds) {

  /** The entity tag of this version of the deployment, for {@code If-Match}. */
  public String etag() {
    return "\"" + deploymentId + "-" + version + "\"";
  }
}
