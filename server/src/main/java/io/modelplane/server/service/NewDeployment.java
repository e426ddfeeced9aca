package io.modelplane.server.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A request for a batch deployment, already checked against the schema. */
public record NewDeployment(
    String modelName,
    String name,
    String modelVersion,
    String modelAlias,
    TableRef source,
    String filterSql,
    Long snapshotId,
    TableRef target,
    List<String> entityColumns,
    String domain,
    String owner,
    String schedule,
    String rerunBehavior,
    String partitionColumn,
    boolean triggerNow,
    List<String> allowedRoles,
    // Left out of the request's fingerprint when absent, as it was before the field existed.
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxRunTimeSeconds) {

  /** Where a create's {@code filter_sql} is in its body: inside {@code source}. */
  public static final List<Object> FILTER_SQL = List.of("source", "filter_sql");
}
