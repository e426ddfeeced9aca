package io.modelplane.server.config;

/** How the outbox worker polls and retries actions on Airflow. */
public record OutboxConfig(int pollMillis, int initialBackoffMillis, int maxAttempts) {

  public static OutboxConfig defaults() {
    return new OutboxConfig(500, 1_000, 30);
  }
}
