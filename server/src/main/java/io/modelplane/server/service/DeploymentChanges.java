package io.modelplane.server.service;

import java.util.List;
import java.util.Optional;

/**
 * A PATCH of a deployment: each field is absent (keep), or present with a value or with null
 * (clear). {@code model} holds the new version or alias.
 */
public record DeploymentChanges(
    Optional<Optional<String>> schedule,
    Optional<Optional<String>> filterSql,
    Optional<String> rerunBehavior,
    Optional<ModelChoice> model,
    Optional<Optional<Integer>> maxRunTimeSeconds,
    Optional<String> ifMatch) {

  /** Where a PATCH's {@code filter_sql} is in its body: at the top level. */
  public static final List<Object> FILTER_SQL = List.of("filter_sql");

  /** Exactly one of version and alias. */
  public record ModelChoice(String modelName, String version, String alias) {}
}
