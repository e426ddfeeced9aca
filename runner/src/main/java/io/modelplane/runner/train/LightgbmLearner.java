package io.modelplane.runner.train;

import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassifier;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMRanker;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMRegressor;
import com.microsoft.azure.synapse.ml.lightgbm.params.LightGBMParams;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * SynapseML LightGBM: {@code LightGBMClassifier} (binary or multiclass from the label), {@code
 * LightGBMRegressor} (regression) and {@code LightGBMRanker} (lambdarank over {@link
 * InternalColumns#GROUP}). Defaults are the library's: 100 iterations, learning rate 0.1, 31
 * leaves.
 */
final class LightgbmLearner implements Learner {
  static final int SEED = 42;
  static final int SEARCH_ITERATIONS = 300;
  static final int EARLY_STOPPING_ROUNDS = 10;

  private final ProblemType problem;

  LightgbmLearner(ProblemType problem) {
    this.problem = problem;
  }

  @Override
  public Estimator<?> defaults() {
    LightGBMParams estimator =
        switch (problem) {
          case BINARY_CLASSIFICATION -> new LightGBMClassifier();
          case MULTICLASS_CLASSIFICATION -> {
            // The classifier is binary unless told otherwise: isBinary reads the objective.
            LightGBMClassifier classifier = new LightGBMClassifier();
            classifier.setObjective("multiclass");
            yield classifier;
          }
          case REGRESSION -> new LightGBMRegressor();
          case RANKING -> {
            LightGBMRanker ranker = new LightGBMRanker();
            ranker.setGroupCol(InternalColumns.GROUP);
            ranker.setEvalAt(new int[] {10});
            // The rows arrive partitioned by group already (Trainer). SynapseML's own repartition
            // by the group column uses spark.sql.shuffle.partitions, which adaptive execution may
            // coalesce below the task count it planned its network for: the fit then waits for a
            // worker that never comes (until its 20-minute timeout).
            ranker.setRepartitionByGroupingColumn(false);
            yield ranker;
          }
          default -> throw new IllegalArgumentException(problem.value());
        };
    Estimator<?> spark = (Estimator<?>) estimator;
    spark.set("featuresCol", InternalColumns.FEATURES);
    spark.set("labelCol", InternalColumns.LABEL);
    estimator.setNumIterations(100);
    estimator.setLearningRate(0.1);
    estimator.setNumLeaves(31);
    estimator.setVerbosity(-1);
    spark.set("seed", SEED);
    spark.set("deterministic", true);
    return spark;
  }

  @Override
  public Estimator<?> forSearch() {
    Estimator<?> spark = defaults();
    LightGBMParams estimator = (LightGBMParams) spark;
    estimator.setNumIterations(SEARCH_ITERATIONS);
    spark.set("earlyStoppingRound", EARLY_STOPPING_ROUNDS);
    spark.set("validationIndicatorCol", InternalColumns.EARLY_STOPPING);
    return spark;
  }

  @Override
  public Model<?> fitWithEarlyStopping(Estimator<?> candidate, Dataset<Row> rows) {
    return candidate.fit(rows);
  }

  @Override
  public List<ParamMap> grid(Estimator<?> searched, Preset preset) {
    LightGBMParams estimator = (LightGBMParams) searched;
    return switch (preset) {
      case FAST -> List.of();
      case BALANCED ->
          Arrays.asList(
              new ParamGridBuilder()
                  .addGrid(estimator.numLeaves(), new int[] {15, 31})
                  .addGrid(estimator.learningRate(), new double[] {0.05, 0.1})
                  .build());
      case BEST_QUALITY ->
          Arrays.asList(
              new ParamGridBuilder()
                  .addGrid(estimator.numLeaves(), new int[] {7, 15, 31})
                  .addGrid(estimator.learningRate(), new double[] {0.03, 0.1})
                  .build());
    };
  }
}
