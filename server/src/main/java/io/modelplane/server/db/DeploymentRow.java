package io.modelplane.server.db;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code deployments}; {@code entityColumns} and {@code allowedRoles} are JSON arrays.
 */
public record DeploymentRow(
    UUID deploymentId,
    String modelName,
    String name,
    String liveName,
    String type,
    String status,
    String domain,
    String owner,
    String modelVersion,
    String modelAlias,
    String resolvedModelVersion,
    String sourceCatalog,
    String sourceSchema,
    String sourceTable,
    String filterSql,
    Long snapshotId,
    String targetCatalog,
    String targetSchema,
    String targetTable,
    String entityColumns,
    String schedule,
    String rerunBehavior,
    String partitionColumn,
    String allowedRoles,
    String dagId,
    String dagS3Uri,
    String renderedDag,
    String errorMessage,
    Instant stoppedAt,
    UUID lastRunId,
    int version,
    Instant createdAt,
    Instant updatedAt,
    Integer maxRunTimeSeconds) {

  /** A copy to change: {@code row.toBuilder().status("active").build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes the mutable columns of a row; the rest is copied as it is. */
  public static final class Builder {
    private final DeploymentRow from;
    private String liveName;
    private String status;
    private String modelVersion;
    private String modelAlias;
    private String resolvedModelVersion;
    private String filterSql;
    private String schedule;
    private String rerunBehavior;
    private String allowedRoles;
    private String dagS3Uri;
    private String renderedDag;
    private String errorMessage;
    private Instant stoppedAt;
    private UUID lastRunId;
    private Instant updatedAt;
    private Integer maxRunTimeSeconds;

    private Builder(DeploymentRow from) {
      this.from = from;
      this.liveName = from.liveName();
      this.status = from.status();
      this.modelVersion = from.modelVersion();
      this.modelAlias = from.modelAlias();
      this.resolvedModelVersion = from.resolvedModelVersion();
      this.filterSql = from.filterSql();
      this.schedule = from.schedule();
      this.rerunBehavior = from.rerunBehavior();
      this.allowedRoles = from.allowedRoles();
      this.dagS3Uri = from.dagS3Uri();
      this.renderedDag = from.renderedDag();
      this.errorMessage = from.errorMessage();
      this.stoppedAt = from.stoppedAt();
      this.lastRunId = from.lastRunId();
      this.updatedAt = from.updatedAt();
      this.maxRunTimeSeconds = from.maxRunTimeSeconds();
    }

    public Builder liveName(String liveName) {
      this.liveName = liveName;
      return this;
    }

    public Builder status(String status) {
      this.status = status;
      return this;
    }

    public Builder modelVersion(String modelVersion) {
      this.modelVersion = modelVersion;
      return this;
    }

    public Builder modelAlias(String modelAlias) {
      this.modelAlias = modelAlias;
      return this;
    }

    public Builder resolvedModelVersion(String resolvedModelVersion) {
      this.resolvedModelVersion = resolvedModelVersion;
      return this;
    }

    public Builder filterSql(String filterSql) {
      this.filterSql = filterSql;
      return this;
    }

    public Builder schedule(String schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder rerunBehavior(String rerunBehavior) {
      this.rerunBehavior = rerunBehavior;
      return this;
    }

    public Builder allowedRoles(String allowedRoles) {
      this.allowedRoles = allowedRoles;
      return this;
    }

    public Builder dagS3Uri(String dagS3Uri) {
      this.dagS3Uri = dagS3Uri;
      return this;
    }

    public Builder renderedDag(String renderedDag) {
      this.renderedDag = renderedDag;
      return this;
    }

    public Builder errorMessage(String errorMessage) {
      this.errorMessage = errorMessage;
      return this;
    }

    public Builder stoppedAt(Instant stoppedAt) {
      this.stoppedAt = stoppedAt;
      return this;
    }

    public Builder lastRunId(UUID lastRunId) {
      this.lastRunId = lastRunId;
      return this;
    }

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Builder maxRunTimeSeconds(Integer maxRunTimeSeconds) {
      this.maxRunTimeSeconds = maxRunTimeSeconds;
      return this;
    }

    public DeploymentRow build() {
      return new DeploymentRow(
          from.deploymentId(),
          from.modelName(),
          from.name(),
          liveName,
          from.type(),
          status,
          from.domain(),
          from.owner(),
          modelVersion,
          modelAlias,
          resolvedModelVersion,
          from.sourceCatalog(),
          from.sourceSchema(),
          from.sourceTable(),
          filterSql,
          from.snapshotId(),
          from.targetCatalog(),
          from.targetSchema(),
          from.targetTable(),
          from.entityColumns(),
          schedule,
          rerunBehavior,
          from.partitionColumn(),
          allowedRoles,
          from.dagId(),
          dagS3Uri,
          renderedDag,
          errorMessage,
          stoppedAt,
          lastRunId,
          from.version(),
          from.createdAt(),
          updatedAt,
          maxRunTimeSeconds);
    }
  }
}
