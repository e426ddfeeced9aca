package io.modelplane.server.service.events;

import java.util.Arrays;

/** What an event of the feed (and of a webhook) says happened; the wire names of the contract. */
public enum EventType {
  TRAINING_JOB_STATUS_CHANGED("training_job.status_changed"),
  DEPLOYMENT_STATUS_CHANGED("deployment.status_changed"),
  DEPLOYMENT_RUN_STATUS_CHANGED("deployment_run.status_changed"),
  JOB_STATUS_CHANGED("job.status_changed"),
  DEPLOYMENT_MODEL_VERSION_CHANGED("deployment.model_version_changed"),
  PING("ping");

  private final String value;

  EventType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The names of the fields {@code from_value} and {@code to_value} appear as in {@code data}. */
  String fromField() {
    return this == DEPLOYMENT_MODEL_VERSION_CHANGED ? "from_version" : "from_status";
  }

  String toField() {
    return this == DEPLOYMENT_MODEL_VERSION_CHANGED ? "to_version" : "to_status";
  }

  /** The type of a wire name; an unknown name is an {@link IllegalArgumentException}. */
  public static EventType of(String value) {
    return Arrays.stream(values())
        .filter(type -> type.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown event type " + value));
  }
}
