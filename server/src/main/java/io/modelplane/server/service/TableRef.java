package io.modelplane.server.service;

/** An Iceberg table: catalog, schema and table, each a validated identifier. */
public record TableRef(String catalog, String schema, String table) {

  /** {@code "catalog"."schema"."table"}: safe because each part is a plain identifier. */
  public String quoted() {
    return "\"" + catalog + "\".\"" + schema + "\".\"" + table + "\"";
  }
}
