package io.modelplane.server.service;

import java.util.List;
import java.util.UUID;

/** Result of a bulk status query: current statuses and the ids that do not exist. */
public record JobStatusReport(List<Entry> statuses, List<UUID> notFound) {

  /** One job's status; {@code airflowState} is set when Airflow was asked. */
  public record Entry(TrainingJob job, String airflowState) {}
}
