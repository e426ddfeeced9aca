package io.modelplane.server.config;

import java.time.Duration;

/**
 * The reconcile loop: a training job or deployment run {@code queued} or {@code running} with no
 * writeback for {@code silence} is checked against its Airflow DAG run every {@code interval}; one
 * Airflow does not know is failed once it stayed silent for {@code silence + grace}.
 */
public record ReconcileConfig(Duration silence, Duration grace, Duration interval) {

  public static ReconcileConfig defaults() {
    return new ReconcileConfig(
        Duration.ofSeconds(600), Duration.ofSeconds(600), Duration.ofSeconds(60));
  }
}
