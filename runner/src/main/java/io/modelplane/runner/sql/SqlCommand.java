package io.modelplane.runner.sql;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sql --job-json JSON}: runs a data-engineering job's SELECT over its source table and
 * writes the result into its destination Iceberg table, created when absent and replaced atomically
 * otherwise (one new snapshot; the schema follows the SELECT). Table names without a catalog are in
 * the configured catalog.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description =
        "Run a job's SELECT (--job-json: job_id, source, destination, sql) and write its"
            + " result into the destination Iceberg table (created, or replaced).")
public final class SqlCommand implements Callable<Integer> {

  private final RunnerSettings settings;

  @Spec CommandSpec spec;

  @Option(names = "--job-json", required = true, description = "the job, as the DAG passes it")
  String jobJson;

  public SqlCommand(RunnerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    SqlJob job = SqlJob.parse(jobJson);
    TableName source = TableName.parse(job.source(), settings.catalogName());
    TableName destination = TableName.parse(job.destination(), settings.catalogName());
    if (source.toString().equalsIgnoreCase(destination.toString())) {
      throw new RunnerException("the destination must be another table than the source");
    }
    SparkSession spark = SparkSessions.open(settings);
    IcebergTables tables = new IcebergTables(spark);
    tables.requireExists(source);
    spark.sessionState().catalogManager().setCurrentCatalog(settings.catalogName());
    SelectCheck.parseQuery(spark, job.sql());
    Dataset<Row> result = spark.sql(job.sql());
    SelectCheck.requireReadsOnly(result.queryExecution().analyzed(), source);
    tables.createNamespaceIfAbsent(destination);
    result.writeTo(destination.quoted()).using("iceberg").createOrReplace();
    long rows = spark.table(destination.quoted()).count();
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %d rows into %s (snapshot %s)%n",
            rows,
            destination,
            tables.currentSnapshotId(destination).map(String::valueOf).orElse("none"));
    return 0;
  }
}
