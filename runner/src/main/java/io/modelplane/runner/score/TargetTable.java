package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Writes scored rows to the deployment's Iceberg target in exactly one commit, so a failure leaves
 * the table at its previous snapshot:
 *
 * <ul>
 *   <li>absent: created (partitioned by the partition column) with the rows;
 *   <li>{@code overwrite_partition}: the rows whose partition column holds this run's value are
 *       replaced ({@code writeTo(...).overwrite(condition)}): a rerun of the same run replaces its
 *       earlier attempt, and other runs' partitions are untouched;
 *   <li>{@code append_dedup}: {@code MERGE INTO} on the entity columns and the model version: a row
 *       already scored by this model version is updated, a new one inserted.
 * </ul>
 */
public final class TargetTable {

  private static final Seq<Column> NO_MORE_COLUMNS =
      JavaConverters.asScalaBuffer(List.<Column>of()).toSeq();

  private final SparkSession spark;
  private final IcebergTables tables;

  public TargetTable(SparkSession spark) {
    this.spark = spark;
    this.tables = new IcebergTables(spark);
  }

  /** Writes the rows; returns nothing, the caller counted them before. */
  public void write(Dataset<Row> scored, ScoringDeployment deployment, Instant scoredAt) {
    TableName target = deployment.target();
    String partition = deployment.partitionColumn();
    if (!tables.exists(target)) {
      tables.createNamespaceIfAbsent(target);
      try {
        scored
            .writeTo(target.quoted())
            .using("iceberg")
            .partitionedBy(functions.col(partition), NO_MORE_COLUMNS)
            .create();
      } catch (Exception e) { // TableAlreadyExistsException: created by a concurrent run
        throw failedWrite(target, e);
      }
      return;
    }
    requireFits(target, scored.schema(), deployment);
    switch (deployment.rerunBehavior()) {
      case OVERWRITE_PARTITION -> overwrite(scored, target, partition, scoredAt);
      case APPEND_DEDUP -> merge(scored, deployment);
    }
  }

  private void overwrite(
      Dataset<Row> scored, TableName target, String partition, Instant scoredAt) {
    try {
      scored
          .writeTo(target.quoted())
          .overwrite(
              functions
                  .col(partition)
                  .equalTo(functions.lit(Timestamp.from(scoredAt)).cast(DataTypes.TimestampType)));
    } catch (Exception e) { // Scala's checked exceptions are invisible to javac
      throw failedWrite(target, e);
    }
  }

  private void merge(Dataset<Row> scored, ScoringDeployment deployment) {
    List<String> keys = new ArrayList<>(deployment.entityColumns());
    keys.add("model_version");
    String view = "modelplane_scored_" + Long.toUnsignedString(System.nanoTime());
    scored.createOrReplaceTempView(view);
    String on =
        keys.stream()
            .map(key -> "t." + TableName.quote(key) + " <=> s." + TableName.quote(key))
            .collect(Collectors.joining(" AND "));
    try {
      spark.sql(
          "MERGE INTO "
              + deployment.target().quoted()
              + " t USING "
              + view
              + " s ON "
              + on
              + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    } catch (Exception e) {
      throw failedWrite(deployment.target(), e);
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /**
   * The target must have exactly the scorer's columns with the same types, and for {@code
   * overwrite_partition} be partitioned by the partition column itself.
   */
  void requireFits(TableName target, StructType scored, ScoringDeployment deployment) {
    StructType existing = tables.read(target, java.util.Optional.empty()).schema();
    Map<String, String> expected = types(scored);
    Map<String, String> actual = types(existing);
    List<String> problems = new ArrayList<>();
    expected.forEach(
        (column, type) -> {
          String found = actual.get(column);
          if (found == null) {
            problems.add("no column " + column + " " + type);
          } else if (!found.equals(type)) {
            problems.add("column " + column + " is " + found + ", the scorer writes " + type);
          }
        });
    actual.keySet().stream()
        .filter(column -> !expected.containsKey(column))
        .forEach(column -> problems.add("column " + column + " is not written by the scorer"));
    if (problems.isEmpty()
        && deployment.rerunBehavior() == ScoringDeployment.RerunBehavior.OVERWRITE_PARTITION) {
      Table table = tables.icebergTable(target);
      boolean identity =
          table.spec().fields().stream()
              .anyMatch(field -> isIdentityOn(table, field, deployment.partitionColumn()));
      if (!identity) {
        problems.add("it is not partitioned by " + deployment.partitionColumn());
      }
    }
    if (!problems.isEmpty()) {
      throw new RunnerException(
          "target table "
              + target
              + " does not fit the scored rows: "
              + String.join("; ", problems));
    }
  }

  private static boolean isIdentityOn(Table table, PartitionField field, String column) {
    return field.transform().isIdentity()
        && column.equals(table.schema().findColumnName(field.sourceId()));
  }

  private static Map<String, String> types(StructType schema) {
    Map<String, String> types = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      types.put(field.name(), field.dataType().catalogString());
    }
    return types;
  }

  private static RunnerException failedWrite(TableName target, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new RunnerException(
        "writing target table "
            + target
            + " failed, the table is unchanged: "
            + FilterExpression.firstLine(root.getMessage()),
        e);
  }
}
