package io.modelplane.runner.iceberg;

import io.modelplane.runner.RunnerException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An Iceberg table's name as the seeds write it: {@code catalog.schema.table}, {@code schema.table}
 * or {@code table} (catalog and schema defaulted). Every part is a plain ASCII identifier, so a
 * name can be quoted into Spark SQL without any escaping question.
 */
public record TableName(String catalog, String schema, String table) {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** The schema of a bare table name. */
  public static final String DEFAULT_SCHEMA = "default";

  public TableName {
    for (String part : List.of(catalog, schema, table)) {
      requireIdentifier(part);
    }
  }

  /** Parses {@code [catalog.][schema.]table}, filling the missing parts with the defaults. */
  public static TableName parse(String name, String defaultCatalog) {
    if (name == null || name.isBlank()) {
      throw new RunnerException("a table name is required");
    }
    String[] parts = name.trim().split("\\.", -1);
    return switch (parts.length) {
      case 1 -> new TableName(defaultCatalog, DEFAULT_SCHEMA, parts[0]);
      case 2 -> new TableName(defaultCatalog, parts[0], parts[1]);
      case 3 -> new TableName(parts[0], parts[1], parts[2]);
      default ->
          throw new RunnerException(
              "table name '" + name + "' has more than three parts (catalog.schema.table)");
    };
  }

  /** A checked identifier (a column, a schema); throws naming the value when it is not one. */
  public static String requireIdentifier(String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new RunnerException(
          "'" + value + "' is not a plain identifier (letters, digits, underscore; ASCII)");
    }
    return value;
  }

  /** {@code `catalog`.`schema`.`table`} for Spark SQL. */
  public String quoted() {
    return quote(catalog) + "." + quote(schema) + "." + quote(table);
  }

  /** {@code `catalog`.`schema`} for Spark SQL. */
  public String quotedNamespace() {
    return quote(catalog) + "." + quote(schema);
  }

  /** A quoted identifier; the pattern guarantees there is no backtick to escape. */
  public static String quote(String identifier) {
    return "`" + requireIdentifier(identifier) + "`";
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + table;
  }
}
