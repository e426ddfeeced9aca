package io.modelplane.server.service;

import java.util.Arrays;
import java.util.Locale;

/** Lifecycle of a deployment run; the wire values of the contract. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }

  public static RunStatus of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value().equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown run status " + value));
  }
}
