package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/**
 * Runs a preset's budget. Every preset first fits the defaults (trial 0, measured on the validation
 * set). {@code balanced} then searches its grid with a {@link TrainValidationSplit} (75/25) and
 * {@code best_quality} with a {@link CrossValidator} of {@value #FOLDS} folds (by group for
 * ranking), both with early stopping on 10% of the rows they fit on. The search's best candidate,
 * refit on the whole training set, replaces the defaults only when it is at least as good on the
 * validation set, so a larger budget never returns a worse model than {@code fast}.
 */
final class ParameterSearch {
  static final int FOLDS = 3;
  static final double SEARCH_TRAIN_RATIO = 0.75;
  static final double EARLY_STOPPING_SHARE = 0.1;
  static final long SEED = 42;

  /** The model a preset chose, its parameters and every trial. */
  record Outcome(Model<?> model, Map<String, String> params, List<Trial> trials) {}

  private ParameterSearch() {}

  static Outcome run(
      Learner learner,
      Preset preset,
      ProblemType problem,
      Dataset<Row> train,
      Dataset<Row> validation) {
    Evaluator evaluator = ValidationMetrics.selection(problem);
    if (learner instanceof IsolationForestLearner forest && !forest.labelled()) {
      Estimator<?> estimator = forest.unlabelled(preset);
      Model<?> model = estimator.fit(train);
      return new Outcome(
          model, params(estimator), List.of(new Trial(0, params(estimator), Double.NaN)));
    }
    Estimator<?> defaults = learner.defaults();
    Model<?> fast = defaults.fit(train);
    double fastMetric = evaluator.evaluate(fast.transform(validation));
    List<Trial> trials = new ArrayList<>();
    trials.add(new Trial(0, params(defaults), fastMetric));
    if (preset == Preset.FAST) {
      return new Outcome(fast, params(defaults), trials);
    }

    Estimator<?> searched = learner.forSearch();
    ParamMap[] grid = learner.grid(searched, preset).toArray(ParamMap[]::new);
    Dataset<Row> searchSet =
        learner.usesEarlyStopping()
            ? train.withColumn(InternalColumns.EARLY_STOPPING, rand(SEED).lt(EARLY_STOPPING_SHARE))
            : train;
    Model<?> champion;
    double[] metrics;
    if (preset == Preset.BALANCED) {
      TrainValidationSplitModel split =
          new TrainValidationSplit()
              .setEstimator(searched)
              .setEstimatorParamMaps(grid)
              .setEvaluator(evaluator)
              .setTrainRatio(SEARCH_TRAIN_RATIO)
              .setSeed(SEED)
              .fit(searchSet);
      champion = split.bestModel();
      metrics = split.validationMetrics();
    } else {
      CrossValidator validator =
          new CrossValidator()
              .setEstimator(searched)
              .setEstimatorParamMaps(grid)
              .setEvaluator(evaluator)
              .setNumFolds(FOLDS)
              .setSeed(SEED);
      if (problem == ProblemType.RANKING) {
        searchSet =
            searchSet.withColumn(
                InternalColumns.FOLD,
                pmod(xxhash64(col(InternalColumns.GROUP)), lit(FOLDS)).cast("int"));
        validator.setFoldCol(InternalColumns.FOLD);
      }
      CrossValidatorModel crossValidated = validator.fit(searchSet);
      champion = crossValidated.bestModel();
      metrics = crossValidated.avgMetrics();
    }
    int best = 0;
    for (int i = 0; i < grid.length; i++) {
      trials.add(new Trial(i + 1, params(searched.copy(grid[i])), metrics[i]));
      if (better(evaluator, metrics[i], metrics[best])) {
        best = i;
      }
    }
    double championMetric = evaluator.evaluate(champion.transform(validation));
    if (better(evaluator, fastMetric, championMetric)) {
      return new Outcome(fast, params(defaults), trials);
    }
    return new Outcome(champion, params(searched.copy(grid[best])), trials);
  }

  private static boolean better(Evaluator evaluator, double candidate, double incumbent) {
    return evaluator.isLargerBetter() ? candidate > incumbent : candidate < incumbent;
  }

  /** The parameters set on an estimator, column names left out, by their library names. */
  static Map<String, String> params(Estimator<?> estimator) {
    Map<String, String> params = new LinkedHashMap<>();
    for (ParamPair<?> pair : JavaConverters.seqAsJavaList(estimator.extractParamMap().toSeq())) {
      String name = pair.param().name();
      if (!estimator.isSet(pair.param()) || name.endsWith("Col") || name.endsWith("Cols")) {
        continue;
      }
      Object value = pair.value();
      params.put(
          name,
          value instanceof int[] ints ? java.util.Arrays.toString(ints) : String.valueOf(value));
    }
    return params;
  }
}
