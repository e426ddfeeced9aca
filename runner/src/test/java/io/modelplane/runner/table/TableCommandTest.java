package io.modelplane.runner.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableCommandTest {

  private final RunnerSettings settings = SharedSpark.hadoopCatalog();
  private final Path folder = SharedSpark.newFolder("table-");

  @Test
  void importCreatesAPartitionedTableAndExportReadsItBack() throws IOException {
    Path csv = customers(1, 200);

    Outcome imported =
        SharedSpark.run(
            settings,
            "table",
            "import",
            "--table",
            "crm.customers",
            "--csv",
            csv.toString(),
            "--partition-by",
            "region");

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out())
        .startsWith(
            "imported 200 rows into " + settings.catalogName() + ".crm.customers (snapshot ");
    assertThat(
            SharedSpark.session(settings)
                .sql("SELECT spec_id FROM " + settings.catalogName() + ".crm.customers.partitions")
                .count())
        .isEqualTo(2);

    Path exported = folder.resolve("out/customers.csv");
    Outcome export =
        SharedSpark.run(
            settings, "table", "export", "--table", "crm.customers", "--csv", exported.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    List<String> lines = Files.readAllLines(exported);
    assertThat(lines.get(0)).isEqualTo("customer_id,region,spend");
    assertThat(lines.subList(1, lines.size()))
        .containsExactlyInAnyOrderElementsOf(Files.readAllLines(csv).subList(1, 201));
  }

  @Test
  void exportOfAnOlderSnapshotReadsTheRowsOfThatSnapshot() throws IOException {
    SharedSpark.run(
        settings, "table", "import", "--table", "s.t", "--csv", customers(1, 50).toString());
    SharedSpark.run(
        settings, "table", "import", "--table", "s.t", "--csv", customers(51, 30).toString());

    Outcome snapshots = SharedSpark.run(settings, "table", "snapshots", "--table", "s.t");
    assertThat(snapshots.exitCode()).as(snapshots.err()).isZero();
    List<String> lines = snapshots.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .isEqualTo("snapshot_id\tcommitted_at\toperation\tadded_records\ttotal_records");
    assertThat(lines.get(1)).endsWith("\tappend\t50\t50");
    assertThat(lines.get(2)).endsWith("\tappend\t30\t80");

    String first = lines.get(1).split("\t")[0];
    Path exported = folder.resolve("first.csv");
    Outcome export =
        SharedSpark.run(
            settings,
            "table",
            "export",
            "--table",
            "s.t",
            "--csv",
            exported.toString(),
            "--snapshot-id",
            first);
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).startsWith("exported 50 rows of ");
    assertThat(Files.readAllLines(exported)).hasSize(51);
  }

  @Test
  void unknownTableAndSnapshotFailWithOneLineNamingThem() throws IOException {
    Outcome missing =
        SharedSpark.run(
            settings,
            "table",
            "export",
            "--table",
            "nope.missing",
            "--csv",
            folder.resolve("x.csv").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err().strip())
        .isEqualTo(
            "modelplane-runner: table " + settings.catalogName() + ".nope.missing does not exist");

    SharedSpark.run(
        settings, "table", "import", "--table", "s.u", "--csv", customers(1, 5).toString());
    Outcome badSnapshot =
        SharedSpark.run(
            settings,
            "table",
            "export",
            "--table",
            "s.u",
            "--csv",
            folder.resolve("y.csv").toString(),
            "--snapshot-id",
            "42");
    assertThat(badSnapshot.exitCode()).isEqualTo(1);
    assertThat(badSnapshot.err().strip())
        .isEqualTo(
            "modelplane-runner: table " + settings.catalogName() + ".s.u has no snapshot 42");
  }

  @Test
  void usageErrorsExitWithTwo() {
    Outcome outcome = SharedSpark.run(settings, "table", "import", "--table", "a.b");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("Missing required option: '--csv=<csv>'");
  }

  private Path customers(int firstId, int count) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,region,spend");
    for (int id = firstId; id < firstId + count; id++) {
      lines.add(id + "," + (id % 2 == 0 ? "EU" : "US") + "," + (id * 3 % 17) + ".5");
    }
    Path csv = folder.resolve("customers-" + firstId + ".csv");
    Files.write(csv, lines);
    return csv;
  }
}
