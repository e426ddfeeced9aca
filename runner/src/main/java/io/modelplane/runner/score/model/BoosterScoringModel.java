package io.modelplane.runner.score.model;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A gradient-boosted booster logged by a Python user (MLflow's {@code xgboost} or {@code lightgbm}
 * flavor), wrapped in its Spark model class: the numeric feature columns are assembled into one
 * vector (nulls kept as NaN, which both libraries read as missing) and the model appends its
 * prediction and, for a classifier, the class probabilities.
 */
final class BoosterScoringModel implements ScoringModel {

  static final String FEATURES = "__modelplane_features";

  private final Transformer model;
  private final List<String> featureColumns;
  private final String description;

  BoosterScoringModel(Transformer model, List<String> featureColumns, String description) {
    this.model = model;
    this.featureColumns = List.copyOf(featureColumns);
    this.description = description;
  }

  @Override
  public List<String> featureColumns() {
    return featureColumns;
  }

  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    Dataset<Row> assembled =
        new VectorAssembler()
            .setInputCols(featureColumns.toArray(String[]::new))
            .setOutputCol(FEATURES)
            .setHandleInvalid("keep")
            .transform(rows);
    return PredictionColumns.normalize(model.transform(assembled), Arrays.asList(rows.columns()));
  }

  @Override
  public String describe() {
    return description;
  }
}
