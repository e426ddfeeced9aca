package io.modelplane.runner.train;

import io.modelplane.runner.RunnerException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The contract's problem types that {@code train} can run; the value is the contract's spelling.
 */
public enum ProblemType {
  BINARY_CLASSIFICATION("binary_classification"),
  MULTICLASS_CLASSIFICATION("multiclass_classification"),
  REGRESSION("regression"),
  RANKING("ranking"),
  ANOMALY_DETECTION("anomaly_detection"),
  CONTEXTUAL_BANDIT("contextual_bandit");

  private final String value;

  ProblemType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public boolean isClassification() {
    return this == BINARY_CLASSIFICATION || this == MULTICLASS_CLASSIFICATION;
  }

  public static ProblemType of(String value) {
    return Arrays.stream(values())
        .filter(type -> type.value.equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new RunnerException(
                    "problem_type '"
                        + value
                        + "' is not one of "
                        + Arrays.stream(values())
                            .map(ProblemType::value)
                            .collect(Collectors.joining(", "))));
  }
}
