package io.modelplane.server.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What {@code GET /api/runs} asks for: optional filters (null or empty means "any"), the order and
 * where the page starts.
 *
 * @param statuses run statuses, any of which matches
 * @param byStatus order by status, then creation; else by creation
 * @param after the last run of the previous page in this order, or null for the first page
 */
public record RunListFilter(
    UUID deploymentId,
    String owner,
    List<String> statuses,
    Instant createdAfter,
    Instant createdBefore,
    boolean byStatus,
    boolean descending,
    RunCursor after) {

  /** Where a page of the run list starts: the last run of the previous page. */
  public record RunCursor(String status, Instant createdAt, UUID runId) {}
}
