package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.avg;

import com.linkedin.relevance.isolationforest.IsolationForest;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * LinkedIn's isolation forest. Writes {@code outlierScore} and {@code predictedLabel} (1 = outlier)
 * and, after it, {@code prediction} (the same label as a double). The contamination that sets the
 * threshold is the labelled outlier share of the training set when the job has a label, else {@link
 * #DEFAULT_CONTAMINATION}. A search needs a label to compare candidates; without one, the larger
 * presets fit one bigger forest.
 */
final class IsolationForestLearner implements Learner {
  static final long SEED = 42;
  static final double DEFAULT_CONTAMINATION = 0.05;
  static final String SCORE = "outlierScore";
  static final String PREDICTED_LABEL = "predictedLabel";

  private final double contamination;
  private final boolean labelled;
  private final long trainRows;

  IsolationForestLearner(TrainingData data) {
    this.labelled = data.hasLabel();
    this.trainRows = data.trainRows();
    double share =
        labelled
            ? data.train().agg(avg(InternalColumns.LABEL)).first().getDouble(0)
            : DEFAULT_CONTAMINATION;
    this.contamination = Math.min(0.5, Math.max(0.001, share));
  }

  @Override
  public Estimator<?> defaults() {
    return forest(100);
  }

  /** Without a label, a bigger forest is what a larger budget buys. */
  Estimator<?> unlabelled(Preset preset) {
    return forest(
        switch (preset) {
          case FAST -> 100;
          case BALANCED -> 200;
          case BEST_QUALITY -> 300;
        });
  }

  boolean labelled() {
    return labelled;
  }

  private IsolationForest forest(int trees) {
    IsolationForest forest = new IsolationForest();
    forest.setNumEstimators(trees);
    forest.setMaxSamples(Math.min(256, trainRows));
    forest.setMaxFeatures(1.0);
    forest.setContamination(contamination);
    forest.setRandomSeed(SEED);
    forest.setFeaturesCol(InternalColumns.FEATURES);
    forest.setPredictionCol(PREDICTED_LABEL);
    forest.setScoreCol(SCORE);
    return forest;
  }

  @Override
  public Estimator<?> forSearch() {
    return defaults();
  }

  /** A forest has no rounds to stop: the early-stopping rows are trained on too. */
  @Override
  public Model<?> fitWithEarlyStopping(Estimator<?> candidate, Dataset<Row> rows) {
    return candidate.fit(rows);
  }

  @Override
  public List<ParamMap> grid(Estimator<?> searched, Preset preset) {
    IsolationForest forest = (IsolationForest) searched;
    double small = Math.min(128, trainRows / 3);
    double large = Math.min(256, trainRows / 3);
    return switch (preset) {
      case FAST -> List.of();
      case BALANCED ->
          Arrays.asList(
              new ParamGridBuilder()
                  .addGrid(forest.numEstimators(), new int[] {100, 200})
                  .addGrid(forest.maxSamples(), new double[] {small, large})
                  .build());
      case BEST_QUALITY ->
          Arrays.asList(
              new ParamGridBuilder()
                  .addGrid(forest.numEstimators(), new int[] {100, 200})
                  .addGrid(forest.maxSamples(), new double[] {small, large})
                  .addGrid(forest.maxFeatures(), new double[] {0.75, 1.0})
                  .build());
    };
  }

  @Override
  public List<PipelineStage> outputStages() {
    return List.of(
        new SQLTransformer()
            .setStatement(
                "SELECT *, CAST(" + PREDICTED_LABEL + " AS DOUBLE) AS prediction FROM __THIS__"));
  }
}
