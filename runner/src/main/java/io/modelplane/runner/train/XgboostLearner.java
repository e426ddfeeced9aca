package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.util.Arrays;
import java.util.List;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import ml.dmlc.xgboost4j.scala.spark.XGBoostEstimator;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRanker;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * XGBoost4J-Spark: {@code XGBoostClassifier} (binary:logistic or multi:softprob, chosen from the
 * label), {@code XGBoostRegressor} (reg:squarederror) and {@code XGBoostRanker} (rank:ndcg over
 * {@link InternalColumns#GROUP}). Defaults are the library's: 100 rounds, depth 6, eta 0.3. It
 * reads {@link InternalColumns#DENSE_FEATURES} (see {@link FeaturePipeline}).
 */
final class XgboostLearner implements Learner {
  static final long SEED = 42;
  static final int SEARCH_ROUNDS = 300;
  static final int EARLY_STOPPING_ROUNDS = 10;

  private final ProblemType problem;
  private final int workers;

  XgboostLearner(ProblemType problem, int workers) {
    this.problem = problem;
    this.workers = workers;
  }

  @Override
  public Estimator<?> defaults() {
    XGBoostEstimator<?, ?> estimator =
        switch (problem) {
          case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> new XGBoostClassifier();
          case REGRESSION -> {
            XGBoostRegressor regressor = new XGBoostRegressor();
            regressor.setObjective("reg:squarederror");
            yield regressor;
          }
          case RANKING -> {
            XGBoostRanker ranker = new XGBoostRanker();
            ranker.setObjective("rank:ndcg");
            ranker.setGroupCol(InternalColumns.GROUP);
            yield ranker;
          }
          default -> throw new IllegalArgumentException(problem.value());
        };
    Estimator<?> spark = (Estimator<?>) estimator;
    spark.set("featuresCol", InternalColumns.DENSE_FEATURES);
    spark.set("labelCol", InternalColumns.LABEL);
    estimator.setNumRound(100);
    estimator.setMaxDepth(6);
    estimator.setEta(0.3);
    estimator.setSeed(SEED);
    estimator.setNumWorkers(workers);
    return spark;
  }

  @Override
  public Estimator<?> forSearch() {
    XGBoostEstimator<?, ?> estimator = (XGBoostEstimator<?, ?>) defaults();
    estimator.setNumRound(SEARCH_ROUNDS);
    estimator.setNumEarlyStoppingRounds(EARLY_STOPPING_ROUNDS);
    return (Estimator<?>) estimator;
  }

  /** XGBoost 3 stops on an evaluation dataset (not a param, so set on each candidate's copy). */
  @Override
  public Model<?> fitWithEarlyStopping(Estimator<?> candidate, Dataset<Row> rows) {
    Column stop = col(InternalColumns.EARLY_STOPPING);
    ((XGBoostEstimator<?, ?>) candidate).setEvalDataset(rows.filter(stop));
    return candidate.fit(rows.filter(not(stop)));
  }

  @Override
  public List<ParamMap> grid(Estimator<?> searched, Preset preset) {
    XGBoostEstimator<?, ?> estimator = (XGBoostEstimator<?, ?>) searched;
    return switch (preset) {
      case FAST -> List.of();
      case BALANCED ->
          Arrays.asList(
              new ParamGridBuilder()
                  .addGrid(estimator.maxDepth(), new int[] {3, 6})
                  .addGrid(estimator.eta(), new double[] {0.1, 0.3})
                  .build());
      case BEST_QUALITY ->
          Arrays.asList(
              new ParamGridBuilder()
                  .addGrid(estimator.maxDepth(), new int[] {3, 6})
                  .addGrid(estimator.eta(), new double[] {0.05, 0.1, 0.3})
                  .build());
    };
  }
}
