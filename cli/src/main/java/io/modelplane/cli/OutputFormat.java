package io.modelplane.cli;

/** How {@code list} and {@code get} print what the server returned ({@code -o}). */
enum OutputFormat {
  /** A table for lists, {@code field: value} lines for one object. */
  table,
  /** The server's JSON, pretty-printed. */
  json,
  /** The same as YAML. */
  yaml
}
