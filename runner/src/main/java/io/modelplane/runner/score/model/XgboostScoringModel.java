package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * An XGBoost booster (MLflow's {@code xgboost} flavor) scoring numeric feature columns in batches
 * per partition ({@link XgboostBatchPredictions}); the booster's bytes are broadcast once.
 */
final class XgboostScoringModel implements ScoringModel {

  private final byte[] booster;
  private final List<String> featureColumns;
  private final XgboostBatchPredictions.Output output;
  private final String description;

  XgboostScoringModel(
      byte[] booster,
      List<String> featureColumns,
      XgboostBatchPredictions.Output output,
      String description) {
    this.booster = booster.clone();
    this.featureColumns = List.copyOf(featureColumns);
    this.output = output;
    this.description = description;
  }

  @Override
  public List<String> featureColumns() {
    return featureColumns;
  }

  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    StructType schema = rows.schema();
    int[] indexes = new int[featureColumns.size()];
    for (int i = 0; i < indexes.length; i++) {
      String name = featureColumns.get(i);
      DataType type = schema.apply(name).dataType();
      if (!(type instanceof NumericType) && !(type instanceof BooleanType)) {
        throw new RunnerException(
            "feature column "
                + name
                + " is "
                + type.simpleString()
                + ": the model reads numeric features only");
      }
      indexes[i] = schema.fieldIndex(name);
    }
    StructType scored =
        schema
            .add(PredictionColumns.PREDICTION, DataTypes.DoubleType, false)
            .add(PredictionColumns.PROBABILITY, DataTypes.DoubleType, true);
    JavaSparkContext context =
        JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
    return rows.mapPartitions(
        new XgboostBatchPredictions(context.broadcast(booster), indexes, output),
        Encoders.row(scored));
  }

  @Override
  public String describe() {
    return description;
  }
}
