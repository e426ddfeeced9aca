package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * A gradient-boosted booster logged by a Python user (MLflow's {@code xgboost} or {@code lightgbm}
 * flavor), wrapped in its Spark model class: the numeric feature columns become one dense vector
 * and the model appends its prediction and, for a classifier, the class probabilities.
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

  /**
   * Dense vectors, always: VectorAssembler writes rows with many zeros as sparse vectors, and
   * XGBoost4J-Spark 3.0 fails on an all-zero sparse one ("indices and values must have the same
   * number of elements"). A null becomes NaN, which both libraries read as missing.
   */
  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    Column[] values = new Column[featureColumns.size()];
    for (int i = 0; i < values.length; i++) {
      String name = featureColumns.get(i);
      DataType type = rows.schema().apply(name).dataType();
      if (!(type instanceof NumericType) && !(type instanceof BooleanType)) {
        throw new RunnerException(
            "feature column "
                + name
                + " is "
                + type.simpleString()
                + ": the model reads numeric features only");
      }
      values[i] =
          functions.coalesce(
              functions.col(name).cast(DataTypes.DoubleType), functions.lit(Double.NaN));
    }
    Dataset<Row> assembled =
        rows.withColumn(
            FEATURES, org.apache.spark.ml.functions.array_to_vector(functions.array(values)));
    return PredictionColumns.normalize(model.transform(assembled), Arrays.asList(rows.columns()));
  }

  @Override
  public String describe() {
    return description;
  }
}
