package io.modelplane.server.service.job;

import java.util.Arrays;
import java.util.Locale;

/** The status of a data-engineering job, as the Nx1 docs ({@code new}) and SDK name them. */
public enum JobStatus {
  NEW,
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobStatus of(String value) {
    return Arrays.stream(values())
        .filter(status -> status.value().equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job status " + value));
  }
}
