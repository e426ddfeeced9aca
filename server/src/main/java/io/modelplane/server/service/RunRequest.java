package io.modelplane.server.service;

import java.util.Map;

/**
 * A manual run: optional overrides for this run only, and the caller's idempotency key.
 *
 * @param modelVersion a version of the deployment's model to score with instead of its own
 * @param target the table to write instead of the deployment's target
 * @param settings free settings handed to the scorer (checked against the contract's bounds)
 */
public record RunRequest(
    Long snapshotId,
    Map<String, String> tags,
    String modelVersion,
    TableRef target,
    Map<String, Object> settings,
    String idempotencyKey) {

  /** A run with no overrides (a create's {@code trigger_now}). */
  public static RunRequest plain() {
    return new RunRequest(null, null, null, null, null, null);
  }
}
