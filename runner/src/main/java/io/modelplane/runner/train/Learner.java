package io.modelplane.runner.train;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;

/**
 * One algorithm family on Spark: its estimator with the library's defaults (the {@code fast}
 * preset), the estimator prepared for a search (early stopping where the library has it), and the
 * grid each preset searches. The estimator reads {@link InternalColumns#FEATURES} and {@link
 * InternalColumns#LABEL} and writes {@code prediction}.
 */
interface Learner {

  /** The estimator with defaults, fit once by {@code fast}. */
  Estimator<?> defaults();

  /** The estimator a search varies: defaults plus early stopping on a carved-out set. */
  Estimator<?> forSearch();

  /** The parameter combinations a preset tries; empty for {@code fast}. */
  List<ParamMap> grid(Estimator<?> searched, Preset preset);

  /** Stages after the model that give the output columns the model format promises. */
  default List<PipelineStage> outputStages() {
    return List.of();
  }

  /** Whether {@link #forSearch()} reads {@link InternalColumns#EARLY_STOPPING}. */
  default boolean usesEarlyStopping() {
    return true;
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
