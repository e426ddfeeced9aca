package io.modelplane.runner.table;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.CreateTableWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Appends a CSV file (with a header line) to an Iceberg table, creating the table if absent. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Append the rows of a CSV file (header line, types inferred) to an Iceberg"
            + " table; the table is created when absent (partitioned by --partition-by).")
public final class TableImport implements Callable<Integer> {

  private static final Seq<Column> NO_MORE_COLUMNS =
      JavaConverters.asScalaBuffer(List.<Column>of()).toSeq();

  private final RunnerSettings settings;

  @Spec CommandSpec spec;

  @Option(names = "--table", required = true, description = "[catalog.]schema.table")
  String table;

  @Option(names = "--csv", required = true, description = "the CSV file to read")
  Path csv;

  @Option(names = "--partition-by", description = "partition column of a new table")
  String partitionBy;

  public TableImport(RunnerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() throws Exception {
    TableName name = TableName.parse(table, settings.catalogName());
    if (!Files.isReadable(csv)) {
      throw new RunnerException("CSV file " + csv + " does not exist or cannot be read");
    }
    SparkSession spark = SparkSessions.open(settings);
    Dataset<Row> rows =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .option("mode", "FAILFAST")
            .csv(csv.toAbsolutePath().toString());
    for (String column : rows.columns()) {
      TableName.requireIdentifier(column);
    }
    IcebergTables tables = new IcebergTables(spark);
    if (tables.exists(name)) {
      rows.writeTo(name.quoted()).append();
    } else {
      tables.createNamespaceIfAbsent(name);
      CreateTableWriter<Row> writer = rows.writeTo(name.quoted()).using("iceberg");
      if (partitionBy != null) {
        if (!Arrays.asList(rows.columns()).contains(partitionBy)) {
          throw new RunnerException("CSV file " + csv + " has no column " + partitionBy);
        }
        writer = writer.partitionedBy(functions.col(partitionBy), NO_MORE_COLUMNS);
      }
      writer.create();
    }
    long count = rows.count();
    spec.commandLine()
        .getOut()
        .printf(
            "imported %d rows into %s (snapshot %s)%n",
            count, name, tables.currentSnapshotId(name).map(String::valueOf).orElse("none"));
    return 0;
  }
}
