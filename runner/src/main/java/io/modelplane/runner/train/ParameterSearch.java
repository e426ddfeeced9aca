package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.collection.JavaConverters;

/**
 * Runs a preset's budget. Every preset first fits the defaults (trial 0, measured on the validation
 * set). {@code balanced} then scores each grid candidate on a train/validation split of the
 * training set (75/25, what Spark's TrainValidationSplit does), {@code best_quality} by {@value
 * #FOLDS}-fold cross-validation (what Spark's CrossValidator does; folds by group for ranking).
 * Every candidate stops early on 10% of the rows it is fit on. The loop is ours rather than Spark's
 * tuning classes because XGBoost 3 takes its early-stopping set as an evaluation dataset that
 * Spark's copies of the estimator drop. The best candidate, refit on the whole training set,
 * replaces the defaults only when it is at least as good on the validation set, so a larger budget
 * never returns a worse model than {@code fast}.
 */
final class ParameterSearch {
  static final int FOLDS = 3;
  static final int HOLDOUT_FROM_BUCKET = 75;
  static final long SEED = 42;
  private static final String BUCKET = InternalColumns.PREFIX + "bucket";

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
    List<ParamMap> grid = learner.grid(searched, preset);
    // A bucket 0..99 per row (per group for ranking) decides folds and early-stopping rows.
    Column bucket =
        problem == ProblemType.RANKING
            ? pmod(xxhash64(col(InternalColumns.GROUP)), lit(100))
            : floor(rand(SEED).multiply(100));
    Dataset<Row> rows =
        train.withColumn(BUCKET, bucket.cast("int")).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      int best = 0;
      double[] metrics = new double[grid.size()];
      for (int i = 0; i < grid.size(); i++) {
        Estimator<?> candidate = searched.copy(grid.get(i));
        metrics[i] =
            preset == Preset.BALANCED
                ? holdout(learner, candidate, evaluator, rows)
                : crossValidated(learner, candidate, evaluator, rows);
        trials.add(new Trial(i + 1, params(candidate), metrics[i]));
        if (better(evaluator, metrics[i], metrics[best])) {
          best = i;
        }
      }
      Estimator<?> chosen = searched.copy(grid.get(best));
      Model<?> champion =
          learner.fitWithEarlyStopping(
              chosen,
              rows.withColumn(InternalColumns.EARLY_STOPPING, col(BUCKET).mod(10).equalTo(0)));
      double championMetric = evaluator.evaluate(champion.transform(validation));
      if (better(evaluator, fastMetric, championMetric)) {
        return new Outcome(fast, params(defaults), trials);
      }
      return new Outcome(champion, params(chosen), trials);
    } finally {
      rows.unpersist();
    }
  }

  private static double holdout(
      Learner learner, Estimator<?> candidate, Evaluator evaluator, Dataset<Row> rows) {
    Column held = col(BUCKET).geq(HOLDOUT_FROM_BUCKET);
    Dataset<Row> fit =
        rows.filter(held.unary_$bang())
            .withColumn(InternalColumns.EARLY_STOPPING, col(BUCKET).mod(10).equalTo(0));
    return evaluator.evaluate(
        learner.fitWithEarlyStopping(candidate, fit).transform(rows.filter(held)));
  }

  private static double crossValidated(
      Learner learner, Estimator<?> candidate, Evaluator evaluator, Dataset<Row> rows) {
    double total = 0;
    for (int fold = 0; fold < FOLDS; fold++) {
      Column held = col(BUCKET).mod(FOLDS).equalTo(fold);
      Dataset<Row> fit =
          rows.filter(held.unary_$bang())
              .withColumn(
                  InternalColumns.EARLY_STOPPING,
                  floor(col(BUCKET).divide(FOLDS)).mod(10).equalTo(0));
      total +=
          evaluator.evaluate(
              learner
                  .fitWithEarlyStopping(candidate.copy(ParamMap.empty()), fit)
                  .transform(rows.filter(held)));
    }
    return total / FOLDS;
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
      params.put(name, value instanceof int[] ints ? Arrays.toString(ints) : String.valueOf(value));
    }
    return params;
  }
}
