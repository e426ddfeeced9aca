package io.modelplane.runner.score.model;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns what a Spark ML model appends ({@code prediction}, a {@code probability} vector, or an
 * {@code outlierScore}) into the scorer's two columns, keeping the input columns.
 */
final class PredictionColumns {

  static final String PREDICTION = "prediction";
  static final String PROBABILITY = "probability";

  private PredictionColumns() {}

  /** The input columns plus {@code prediction} and {@code probability}, both double. */
  static Dataset<Row> normalize(Dataset<Row> transformed, List<String> inputColumns) {
    List<String> columns = Arrays.asList(transformed.columns());
    Column probability;
    if (columns.contains(PROBABILITY)
        && transformed.schema().apply(PROBABILITY).dataType() instanceof VectorUDT) {
      Column values =
          org.apache.spark.ml.functions.vector_to_array(functions.col(PROBABILITY), "float64");
      probability =
          functions
              .when(functions.size(values).equalTo(2), values.getItem(1))
              .otherwise(functions.array_max(values));
    } else if (columns.contains("outlierScore")) {
      probability = functions.col("outlierScore").cast(DataTypes.DoubleType);
    } else {
      probability = functions.lit(null).cast(DataTypes.DoubleType);
    }
    Column[] selected = new Column[inputColumns.size() + 2];
    for (int i = 0; i < inputColumns.size(); i++) {
      selected[i] = functions.col(inputColumns.get(i));
    }
    selected[inputColumns.size()] =
        functions.col(PREDICTION).cast(DataTypes.DoubleType).as(PREDICTION);
    selected[inputColumns.size() + 1] = probability.as(PROBABILITY);
    return transformed.select(selected);
  }
}
