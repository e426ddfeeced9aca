package io.modelplane.server.service;

import java.util.Arrays;
import java.util.Locale;

/** Lifecycle of a deployment; the wire values of the contract. */
public enum DeploymentStatus {
  PENDING,
  DEPLOYING,
  ACTIVE,
  FAILED,
  STOPPED,
  ARCHIVED;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeploymentStatus of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value().equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown deployment status " + value));
  }
}
