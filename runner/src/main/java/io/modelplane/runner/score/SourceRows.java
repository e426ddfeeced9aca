package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The rows to score: the source table at the run's snapshot (Iceberg time travel) or its current
 * one, narrowed by the deployment's filter, with only the entity and feature columns kept.
 */
public final class SourceRows {

  private final SparkSession spark;
  private final IcebergTables tables;

  public SourceRows(SparkSession spark) {
    this.spark = spark;
    this.tables = new IcebergTables(spark);
  }

  /**
   * Reads and filters; fails naming an unknown table, snapshot or column, and a filter that is not
   * a boolean expression over the source's columns.
   */
  public Dataset<Row> read(
      TableName source,
      Optional<Long> snapshotId,
      Optional<String> filterSql,
      List<String> entityColumns,
      Collection<String> featureColumns) {
    Optional<Column> filter = filterSql.map(sql -> FilterExpression.parse(spark, sql));
    // One read task per core at least: scoring costs CPU per row, and Iceberg would otherwise
    // pack a table of a few small files into a single task.
    Dataset<Row> rows =
        tables.readInTasks(source, snapshotId, spark.sparkContext().defaultParallelism());
    Set<String> present = new LinkedHashSet<>(Arrays.asList(rows.columns()));
    Set<String> needed = new LinkedHashSet<>(entityColumns);
    needed.addAll(featureColumns);
    for (String column : needed) {
      if (!present.contains(column)) {
        throw new RunnerException(
            "source table "
                + source
                + snapshotId.map(id -> " at snapshot " + id).orElse("")
                + " has no column "
                + column);
      }
    }
    if (filter.isPresent()) {
      try {
        rows = rows.filter(filter.get());
      } catch (Exception e) { // Scala's AnalysisException is checked for javac
        if (e instanceof AnalysisException analysis) {
          throw new RunnerException(
              "filter_sql cannot be applied to "
                  + source
                  + ": "
                  + FilterExpression.firstLine(analysis.getSimpleMessage()));
        }
        throw e;
      }
    }
    return rows.select(needed.stream().map(functions::col).toArray(Column[]::new));
  }
}
