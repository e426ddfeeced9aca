package io.modelplane.server.service;

import java.util.List;
import java.util.Map;

/** Which algorithms fit which problem type; the first one is the default. */
public final class AlgorithmCatalog {
  private static final Map<String, List<String>> ALGORITHMS_BY_PROBLEM =
      Map.of(
          "binary_classification",
              List.of("lightgbm_classifier", "xgboost_classifier", "vw_classifier"),
          "multiclass_classification",
              List.of("lightgbm_classifier", "xgboost_classifier", "vw_classifier"),
          "regression", List.of("lightgbm_regressor", "xgboost_regressor", "vw_regressor"),
          "ranking", List.of("lightgbm_ranker", "xgboost_ranker"),
          "anomaly_detection", List.of("isolation_forest"),
          "contextual_bandit", List.of("vw_contextual_bandit"));

  private AlgorithmCatalog() {}

  public static List<String> algorithmsFor(String problemType) {
    return ALGORITHMS_BY_PROBLEM.getOrDefault(problemType, List.of());
  }

  public static String defaultAlgorithm(String problemType) {
    return algorithmsFor(problemType).get(0);
  }

  public static boolean fits(String algorithm, String problemType) {
    return algorithmsFor(problemType).contains(algorithm);
  }

  /** Ranking needs the query (group) column its rows are ranked within. */
  public static boolean needsGroup(String problemType) {
    return "ranking".equals(problemType);
  }

  /** Unsupervised problems need no label column. */
  public static boolean needsLabel(String problemType) {
    return !"anomaly_detection".equals(problemType);
  }
}
