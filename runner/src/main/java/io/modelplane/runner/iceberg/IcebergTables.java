package io.modelplane.runner.iceberg;

import io.modelplane.runner.RunnerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;

/** Reads Iceberg tables and their snapshots, turning Spark's failures into one clear line. */
public final class IcebergTables {

  private static final long MIN_SPLIT_BYTES = 1L << 20;

  private final SparkSession spark;

  public IcebergTables(SparkSession spark) {
    this.spark = spark;
  }

  /** Whether the table exists in its catalog. */
  public boolean exists(TableName name) {
    try {
      return spark.catalog().tableExists(name.toString());
    } catch (RuntimeException unknownCatalog) {
      throw new RunnerException(
          "catalog '" + name.catalog() + "' is not configured (" + firstLine(unknownCatalog) + ")",
          unknownCatalog);
    }
  }

  /** The table at a snapshot (Iceberg time travel), or at its current snapshot. */
  public Dataset<Row> read(TableName name, Optional<Long> snapshotId) {
    requireExists(name);
    if (snapshotId.isPresent() && !snapshotIds(name).contains(snapshotId.get())) {
      throw new RunnerException("table " + name + " has no snapshot " + snapshotId.get());
    }
    String sql =
        "SELECT * FROM " + name.quoted() + snapshotId.map(id -> " VERSION AS OF " + id).orElse("");
    return spark.sql(sql);
  }

  /**
   * Like {@link #read}, but planned into at least {@code tasks} read tasks when the data allows:
   * Iceberg packs files into splits of {@code read.split.target-size} (128 MiB), so a table of a
   * few small files is otherwise read — and everything after the read computed — by one task on one
   * core. The split size becomes the snapshot's data size divided by {@code tasks}, between 1 MiB
   * and the table's own target (a Parquet file splits at row groups only, so small files give one
   * task each).
   */
  public Dataset<Row> readInTasks(TableName name, Optional<Long> snapshotId, int tasks) {
    Dataset<Row> checked = read(name, snapshotId);
    Table table = icebergTable(name);
    Snapshot snapshot = snapshotId.map(table::snapshot).orElseGet(table::currentSnapshot);
    if (snapshot == null || tasks < 2) {
      return checked;
    }
    long dataBytes = Long.parseLong(snapshot.summary().getOrDefault("total-files-size", "0"));
    long target =
        Long.parseLong(
            table
                .properties()
                .getOrDefault(
                    TableProperties.SPLIT_SIZE,
                    String.valueOf(TableProperties.SPLIT_SIZE_DEFAULT)));
    long splitSize = Math.max(MIN_SPLIT_BYTES, Math.min(target, dataBytes / tasks));
    if (splitSize >= target) {
      return checked;
    }
    // Time travel as a table name suffix: DataFrameReader options (the split size) reach the
    // scan only this way, and the snapshot's own schema is kept as with VERSION AS OF.
    String identifier =
        name.quoted() + snapshotId.map(id -> "." + TableName.quote("snapshot_id_" + id)).orElse("");
    return spark.read().option(SparkReadOptions.SPLIT_SIZE, splitSize).table(identifier);
  }

  /** The ids of the table's snapshots, oldest first. */
  public List<Long> snapshotIds(TableName name) {
    List<Long> ids = new ArrayList<>();
    icebergTable(name).snapshots().forEach(snapshot -> ids.add(snapshot.snapshotId()));
    return ids;
  }

  /** Iceberg's own view of the table (schema, partition spec, snapshots). */
  public Table icebergTable(TableName name) {
    requireExists(name);
    try {
      return Spark3Util.loadIcebergTable(spark, name.toString());
    } catch (ParseException | NoSuchTableException e) {
      throw new RunnerException("table " + name + " cannot be loaded: " + firstLine(e), e);
    }
  }

  /** The table's {@code snapshots} metadata table, oldest first. */
  public Dataset<Row> snapshots(TableName name) {
    requireExists(name);
    return spark.sql(
        "SELECT snapshot_id, committed_at, operation, summary FROM "
            + name.quoted()
            + ".snapshots ORDER BY committed_at");
  }

  /** The id of the table's current snapshot, if it has one. */
  public Optional<Long> currentSnapshotId(TableName name) {
    Table table = icebergTable(name);
    table.refresh();
    return Optional.ofNullable(table.currentSnapshot()).map(Snapshot::snapshotId);
  }

  /** Creates the table's namespace when it does not exist yet. */
  public void createNamespaceIfAbsent(TableName name) {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + name.quotedNamespace());
  }

  public void requireExists(TableName name) {
    if (!exists(name)) {
      throw new RunnerException("table " + name + " does not exist");
    }
  }

  static String firstLine(Throwable error) {
    String message =
        error instanceof AnalysisException analysis
            ? analysis.getSimpleMessage()
            : String.valueOf(error.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
