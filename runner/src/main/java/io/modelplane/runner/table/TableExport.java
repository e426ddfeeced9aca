package io.modelplane.runner.table;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes an Iceberg table (at a snapshot, or its current one) to one CSV file with a header. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write an Iceberg table to one CSV file with a header line; --snapshot-id reads"
            + " an older snapshot (time travel).")
public final class TableExport implements Callable<Integer> {

  private final RunnerSettings settings;

  @Spec CommandSpec spec;

  @Option(names = "--table", required = true, description = "[catalog.]schema.table")
  String table;

  @Option(names = "--csv", required = true, description = "the CSV file to write (replaced)")
  Path csv;

  @Option(names = "--snapshot-id", description = "the snapshot to read (default: current)")
  Long snapshotId;

  public TableExport(RunnerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() throws IOException {
    TableName name = TableName.parse(table, settings.catalogName());
    Dataset<Row> rows =
        new IcebergTables(SparkSessions.open(settings)).read(name, Optional.ofNullable(snapshotId));
    Path target = csv.toAbsolutePath();
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // Spark writes a folder of parts; one partition makes it one part, moved into place.
    Path folder = Files.createTempDirectory(parent, ".export-");
    try {
      rows.coalesce(1)
          .write()
          .mode("overwrite")
          .option("header", "true")
          .csv(folder.resolve("out").toString());
      Path part;
      try (Stream<Path> files = Files.list(folder.resolve("out"))) {
        part =
            files
                .filter(file -> file.getFileName().toString().startsWith("part-"))
                .findFirst()
                .orElseThrow(() -> new RunnerException("Spark wrote no CSV part for " + name));
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      deleteTree(folder);
    }
    long lines;
    try (Stream<String> written = Files.lines(target)) {
      lines = written.count();
    }
    spec.commandLine().getOut().printf("exported %d rows of %s to %s%n", lines - 1, name, csv);
    return 0;
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TableExport::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
