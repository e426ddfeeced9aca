package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the problem type is judged by. The first metric of {@link #all} is the one searches select
 * on ({@link #selection}): binary AUC (then log loss), multiclass accuracy (then macro F1),
 * regression RMSE (then MAE and R²), ranking NDCG@10, anomaly detection AUC when a label exists
 * (and always the contamination found: the share of rows flagged as outliers).
 */
final class ValidationMetrics {

  private ValidationMetrics() {}

  /** The metric name searches select on, as logged to MLflow. */
  static String selectionName(ProblemType problem) {
    return switch (problem) {
      case BINARY_CLASSIFICATION, ANOMALY_DETECTION -> "auc";
      case MULTICLASS_CLASSIFICATION -> "accuracy";
      case REGRESSION -> "rmse";
      case RANKING -> "ndcg_at_10";
      case CONTEXTUAL_BANDIT -> throw new IllegalArgumentException(problem.value());
    };
  }

  static Evaluator selection(ProblemType problem) {
    return switch (problem) {
      case BINARY_CLASSIFICATION ->
          new BinaryClassificationEvaluator()
              .setLabelCol(InternalColumns.LABEL)
              .setRawPredictionCol("rawPrediction")
              .setMetricName("areaUnderROC");
      case MULTICLASS_CLASSIFICATION -> multiclass("accuracy");
      case REGRESSION -> regression("rmse");
      case RANKING -> new NdcgEvaluator(10);
      case ANOMALY_DETECTION ->
          new BinaryClassificationEvaluator()
              .setLabelCol(InternalColumns.LABEL)
              .setRawPredictionCol(IsolationForestLearner.SCORE)
              .setMetricName("areaUnderROC");
      case CONTEXTUAL_BANDIT -> throw new IllegalArgumentException(problem.value());
    };
  }

  /** Every metric of the problem type on scored rows (the pipeline's output). */
  static Map<String, Double> all(ProblemType problem, Dataset<Row> scored, boolean labelled) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    switch (problem) {
      case BINARY_CLASSIFICATION -> {
        metrics.put("auc", selection(problem).evaluate(scored));
        metrics.put("log_loss", multiclass("logLoss").evaluate(scored));
      }
      case MULTICLASS_CLASSIFICATION -> {
        metrics.put("accuracy", multiclass("accuracy").evaluate(scored));
        metrics.put("macro_f1", macroF1(scored));
      }
      case REGRESSION -> {
        metrics.put("rmse", regression("rmse").evaluate(scored));
        metrics.put("mae", regression("mae").evaluate(scored));
        metrics.put("r2", regression("r2").evaluate(scored));
      }
      case RANKING -> metrics.put("ndcg_at_10", selection(problem).evaluate(scored));
      case ANOMALY_DETECTION -> {
        if (labelled) {
          metrics.put("auc", selection(problem).evaluate(scored));
        }
        metrics.put(
            "contamination",
            scored
                .agg(avg(col(IsolationForestLearner.PREDICTED_LABEL).cast("double")))
                .first()
                .getDouble(0));
      }
      case CONTEXTUAL_BANDIT -> throw new IllegalArgumentException(problem.value());
    }
    return metrics;
  }

  private static MulticlassClassificationEvaluator multiclass(String metric) {
    return new MulticlassClassificationEvaluator()
        .setLabelCol(InternalColumns.LABEL)
        .setPredictionCol("prediction")
        .setProbabilityCol("probability")
        .setMetricName(metric);
  }

  private static RegressionEvaluator regression(String metric) {
    return new RegressionEvaluator()
        .setLabelCol(InternalColumns.LABEL)
        .setPredictionCol("prediction")
        .setMetricName(metric);
  }

  /** The unweighted mean of the per-class F1 scores (Spark's "f1" weights them by frequency). */
  static double macroF1(Dataset<Row> scored) {
    List<Row> cells =
        scored.groupBy(col(InternalColumns.LABEL), col("prediction")).count().collectAsList();
    Map<Double, long[]> byClass = new LinkedHashMap<>(); // tp, fp, fn
    for (Row cell : cells) {
      double actual = cell.getDouble(0);
      double predicted = cell.getDouble(1);
      long n = cell.getLong(2);
      byClass.computeIfAbsent(actual, c -> new long[3]);
      byClass.computeIfAbsent(predicted, c -> new long[3]);
      if (actual == predicted) {
        byClass.get(actual)[0] += n;
      } else {
        byClass.get(predicted)[1] += n;
        byClass.get(actual)[2] += n;
      }
    }
    double total = 0;
    for (long[] counts : byClass.values()) {
      double denominator = 2.0 * counts[0] + counts[1] + counts[2];
      total += denominator == 0 ? 0 : 2.0 * counts[0] / denominator;
    }
    return byClass.isEmpty() ? 0 : total / byClass.size();
  }
}
