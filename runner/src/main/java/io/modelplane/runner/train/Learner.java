package io.modelplane.runner.train;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One algorithm family on Spark: its estimator with the library's defaults (the {@code fast}
 * preset), the estimator prepared for a search (early stopping where the library has it), and the
 * grid each preset searches. The estimator reads {@link InternalColumns#FEATURES} and {@link
 * InternalColumns#LABEL} and writes {@code prediction}.
 */
interface Learner {

  /** The estimator with defaults, fit once by {@code fast}. */
  Estimator<?> defaults();

  /** The estimator a search varies: the defaults with more rounds, stopped early. */
  Estimator<?> forSearch();

  /**
   * Fits a search candidate; rows where {@link InternalColumns#EARLY_STOPPING} is true are the
   * early-stopping set, not training rows.
   */
  Model<?> fitWithEarlyStopping(Estimator<?> candidate, Dataset<Row> rows);

  /** The parameter combinations a preset tries; empty for {@code fast}. */
  List<ParamMap> grid(Estimator<?> searched, Preset preset);

  /** Stages after the model that give the output columns the model format promises. */
  default List<PipelineStage> outputStages() {
    return List.of();
  }

  static Learner forJob(Algorithm algorithm, ProblemType problem, TrainingData data, int workers) {
    if (algorithm.isXgboost()) {
      return new XgboostLearner(problem, workers);
    }
    if (algorithm.isLightgbm()) {
      return new LightgbmLearner(problem);
    }
    return new IsolationForestLearner(data);
  }
}
