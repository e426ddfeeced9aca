package io.modelplane.server.service;

import java.util.Arrays;

/** Lifecycle of a training job; the wire values of the contract. */
public enum TrainingJobStatus {
  READY("ready"),
  QUEUED("queued"),
  RUNNING("running"),
  COMPLETE("complete"),
  FAILED("failed");

  private final String value;

  TrainingJobStatus(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public boolean isTerminal() {
    return this == COMPLETE || this == FAILED;
  }

  public static TrainingJobStatus of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown training job status " + value));
  }
}
