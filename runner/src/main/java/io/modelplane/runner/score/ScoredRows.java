package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The rows the scorer writes: the entity columns, {@code prediction}, {@code probability}, {@code
 * model_name}, {@code model_version}, {@code airflow_run_id} and the partition column (the run's
 * scoring time), in that order.
 */
public final class ScoredRows {

  static final List<String> FIXED_COLUMNS =
      List.of("prediction", "probability", "model_name", "model_version", "airflow_run_id");

  private ScoredRows() {}

  /** Refuses entity or partition columns that would collide with the columns the scorer adds. */
  static void checkColumnNames(List<String> entityColumns, String partitionColumn) {
    List<String> taken = new ArrayList<>(FIXED_COLUMNS);
    taken.add(partitionColumn);
    for (String entity : entityColumns) {
      if (taken.contains(entity)) {
        throw new RunnerException(
            "entity column "
                + entity
                + " has the name of a column the scorer writes ("
                + String.join(", ", taken)
                + ")");
      }
    }
    if (FIXED_COLUMNS.contains(partitionColumn)) {
      throw new RunnerException(
          "partition_column " + partitionColumn + " has the name of a column the scorer writes");
    }
  }

  /** The scored rows in the target's column order. */
  static Dataset<Row> of(
      Dataset<Row> predictions,
      ScoringDeployment deployment,
      String airflowRunId,
      Instant scoredAt) {
    List<Column> columns = new ArrayList<>();
    deployment.entityColumns().forEach(name -> columns.add(functions.col(name)));
    columns.add(functions.col("prediction"));
    columns.add(functions.col("probability"));
    columns.add(functions.lit(deployment.modelName()).as("model_name"));
    columns.add(functions.lit(deployment.modelVersion()).as("model_version"));
    columns.add(functions.lit(airflowRunId).as("airflow_run_id"));
    columns.add(
        functions
            .lit(Timestamp.from(scoredAt))
            .cast(DataTypes.TimestampType)
            .as(deployment.partitionColumn()));
    return predictions.select(columns.toArray(Column[]::new));
  }
}
