package io.modelplane.runner.table;

import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists a table's snapshots: id, commit time, operation, rows added and total. */
@Command(
    name = "snapshots",
    mixinStandardHelpOptions = true,
    description =
        "List a table's snapshots, oldest first: id, committed at, operation, rows"
            + " added, total rows (tab-separated, with a header line).")
public final class TableSnapshots implements Callable<Integer> {

  private final RunnerSettings settings;

  @Spec CommandSpec spec;

  @Option(names = "--table", required = true, description = "[catalog.]schema.table")
  String table;

  public TableSnapshots(RunnerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    TableName name = TableName.parse(table, settings.catalogName());
    spec.commandLine()
        .getOut()
        .println("snapshot_id\tcommitted_at\toperation\tadded_records\ttotal_records");
    for (Row row :
        new IcebergTables(SparkSessions.open(settings)).snapshots(name).collectAsList()) {
      Map<String, String> summary = row.getJavaMap(3);
      spec.commandLine()
          .getOut()
          .printf(
              "%d\t%s\t%s\t%s\t%s%n",
              row.getLong(0),
              row.getTimestamp(1).toInstant(),
              row.getString(2),
              summary.getOrDefault("added-records", "0"),
              summary.getOrDefault("total-records", "?"));
    }
    return 0;
  }
}
