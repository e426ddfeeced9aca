package io.modelplane.server.config;

/**
 * How the outbox worker polls and retries actions on Airflow, and after how long it deletes a
 * deleted DAG once more (for a DAG Airflow parsed again from a late copy of its DAG folder).
 */
public record OutboxConfig(
    int pollMillis, int initialBackoffMillis, int maxAttempts, int deleteRecheckMillis) {

  public static OutboxConfig defaults() {
    return new OutboxConfig(500, 1_000, 30, 600_000);
  }
}
