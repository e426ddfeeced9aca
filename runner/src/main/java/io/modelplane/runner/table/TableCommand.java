package io.modelplane.runner.table;

import picocli.CommandLine.Command;

/** {@code table import|export|snapshots}: load sample data and look at results without a shell. */
@Command(
    name = "table",
    mixinStandardHelpOptions = true,
    description =
        "Load a CSV into an Iceberg table, export a table (at a snapshot) to CSV, list"
            + " a table's snapshots.",
    subcommands = {TableImport.class, TableExport.class, TableSnapshots.class})
public final class TableCommand {}
