package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A booster logged by a Python user (MLflow's {@code xgboost} or {@code lightgbm} flavor) scoring
 * numeric feature columns in batches per partition ({@link BatchPredictions}); the model's bytes
 * are broadcast once per run.
 */
final class BatchScoringModel implements ScoringModel {

  private final Function<JavaSparkContext, BatchModel.Loader> loader;
  private final List<String> featureColumns;
  private final String description;

  BatchScoringModel(
      Function<JavaSparkContext, BatchModel.Loader> loader,
      List<String> featureColumns,
      String description) {
    this.loader = loader;
    this.featureColumns = List.copyOf(featureColumns);
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
    return predict(rows, loader.apply(context(rows)), FeatureReader.columns(schema, indexes));
  }

  static JavaSparkContext context(Dataset<Row> rows) {
    return JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
  }

  /**
   * The rows with {@code prediction} (double) and {@code probability} (double or null): Spark's
   * internal rows of the input's physical plan scored partition by partition ({@link
   * BatchPredictions}), as a data frame over that RDD (nothing runs until it is written).
   */
  static Dataset<Row> predict(Dataset<Row> rows, BatchModel.Loader loader, FeatureReader reader) {
    StructType scored =
        rows.schema()
            .add(PredictionColumns.PREDICTION, DataTypes.DoubleType, false)
            .add(PredictionColumns.PROBABILITY, DataTypes.DoubleType, true);
    RDD<InternalRow> predicted =
        rows.queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new BatchPredictions(loader, reader))
            .rdd();
    return rows.sparkSession().internalCreateDataFrame(predicted, scored, false);
  }

  @Override
  public String describe() {
    return description;
  }
}
