package io.modelplane.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}. */
final class OutputOption {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json or yaml.")
  OutputFormat format = OutputFormat.table;
}
