package io.modelplane.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL database of one test class's own ({@code modelplane_it_<random>}) on the machine's
 * server, created through the admin connection and dropped by {@link #close()}.
 *
 * <p>The admin connection is {@code MODELPLANE_TEST_DB_URL} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/test}), {@code MODELPLANE_TEST_DB_USER} (default {@code
 * postgres}) and {@code MODELPLANE_TEST_DB_PASSWORD}, as for the server's own tests. When
 * PostgreSQL does not answer, the calling tests are skipped, unless {@code
 * MODELPLANE_REQUIRE_POSTGRES=true} (as in CI), where they fail.
 */
final class PostgresDatabase implements AutoCloseable {

  private static final String ADMIN_URL =
      env("MODELPLANE_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String ADMIN_USER = env("MODELPLANE_TEST_DB_USER", "postgres");
  private static final String ADMIN_PASSWORD = env("MODELPLANE_TEST_DB_PASSWORD", "");

  private final String name;
  private final String url;
  private final String adminUrl;
  private final String user;
  private final String password;

  private PostgresDatabase(String name, String url, String adminUrl, String user, String password) {
    this.name = name;
    this.url = url;
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
  }

  /** Creates the database, or skips (or fails, when PostgreSQL is required) without a server. */
  static PostgresDatabase create() {
    try {
      return create(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
    } catch (SQLException e) {
      String problem = "cannot use PostgreSQL at " + ADMIN_URL + ": " + e.getMessage();
      if (isRequired()) {
        throw new IllegalStateException("PostgreSQL is required but " + problem, e);
      }
      System.out.println("[modelplane-it] skipping PostgreSQL tests: " + problem);
      assumeTrue(false, problem);
      throw new IllegalStateException("unreachable");
    }
  }

  /** Creates a database of its own on the PostgreSQL server of this admin connection. */
  static PostgresDatabase create(String adminUrl, String user, String password)
      throws SQLException {
    String name = "modelplane_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = admin.createStatement()) {
      DatabaseMetaData meta = admin.getMetaData();
      try (ResultSet version = statement.executeQuery("SELECT version()")) {
        version.next();
        System.out.println(
            "[modelplane-it] database server: "
                + meta.getDatabaseProductName()
                + " "
                + meta.getDatabaseProductVersion()
                + " at "
                + adminUrl
                + " ("
                + version.getString(1)
                + "); database "
                + name);
      }
      statement.execute("CREATE DATABASE " + name);
    }
    return new PostgresDatabase(name, withDatabase(adminUrl, name), adminUrl, user, password);
  }

  /** Whether PostgreSQL tests must run ({@code MODELPLANE_REQUIRE_POSTGRES=true}, as in CI). */
  static boolean isRequired() {
    return Boolean.parseBoolean(env("MODELPLANE_REQUIRE_POSTGRES", "false"));
  }

  String name() {
    return name;
  }

  /** The JDBC URL of this database. */
  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** The server settings for this database. */
  Map<String, String> serverEnv() {
    return Map.of(
        "MODELPLANE_DB_URL", url, "MODELPLANE_DB_USER", user, "MODELPLANE_DB_PASSWORD", password);
  }

  /** A connection to this database, e.g. to look at what the server wrote. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** The single number a query returns (a count). */
  long number(String sql, Object... parameters) {
    List<Map<String, Object>> rows = rows(sql, parameters);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException(sql + " returned " + rows);
    }
    return ((Number) rows.get(0).values().iterator().next()).longValue();
  }

  /** The rows of a query, each a map from column label to value, in order. */
  List<Map<String, Object>> rows(String sql, Object... parameters) {
    try (Connection db = connect();
        PreparedStatement query = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet result = query.executeQuery()) {
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= columns; c++) {
            row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("[modelplane-it] could not drop database " + name + ": " + e);
    }
  }

  /** Replaces the database name in a PostgreSQL JDBC URL, keeping its parameters. */
  private static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
