package io.modelplane.runner.train;

import io.modelplane.runner.RunnerException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The algorithms this runner trains, each with the problem types it fits (the server's
 * AlgorithmCatalog, minus Vowpal Wabbit: no VW binding for Spark is served by the package registry,
 * so {@code vw_*} jobs fail before any data is read instead of getting a silent substitute).
 */
public enum Algorithm {
  XGBOOST_CLASSIFIER(
      "xgboost_classifier",
      EnumSet.of(ProblemType.BINARY_CLASSIFICATION, ProblemType.MULTICLASS_CLASSIFICATION)),
  XGBOOST_REGRESSOR("xgboost_regressor", EnumSet.of(ProblemType.REGRESSION)),
  XGBOOST_RANKER("xgboost_ranker", EnumSet.of(ProblemType.RANKING)),
  LIGHTGBM_CLASSIFIER(
      "lightgbm_classifier",
      EnumSet.of(ProblemType.BINARY_CLASSIFICATION, ProblemType.MULTICLASS_CLASSIFICATION)),
  LIGHTGBM_REGRESSOR("lightgbm_regressor", EnumSet.of(ProblemType.REGRESSION)),
  LIGHTGBM_RANKER("lightgbm_ranker", EnumSet.of(ProblemType.RANKING)),
  ISOLATION_FOREST("isolation_forest", EnumSet.of(ProblemType.ANOMALY_DETECTION));

  private final String value;
  private final Set<ProblemType> problemTypes;

  Algorithm(String value, Set<ProblemType> problemTypes) {
    this.value = value;
    this.problemTypes = problemTypes;
  }

  public String value() {
    return value;
  }

  public boolean isXgboost() {
    return value.startsWith("xgboost_");
  }

  public boolean isLightgbm() {
    return value.startsWith("lightgbm_");
  }

  /** The supported algorithm of that name fitting the problem type, or a one-line refusal. */
  public static Algorithm supported(String value, ProblemType problemType) {
    Algorithm algorithm =
        Arrays.stream(values())
            .filter(candidate -> candidate.value.equals(value))
            .findFirst()
            .orElseThrow(
                () ->
                    new RunnerException(
                        "algorithm '"
                            + value
                            + "' is not supported by this runner (no Vowpal Wabbit binding is"
                            + " available); it trains: "
                            + supportedList()));
    if (!algorithm.problemTypes.contains(problemType)) {
      throw new RunnerException(
          "algorithm '" + value + "' does not fit problem_type '" + problemType.value() + "'");
    }
    return algorithm;
  }

  static String supportedList() {
    return Arrays.stream(values()).map(Algorithm::value).collect(Collectors.joining(", "));
  }
}
