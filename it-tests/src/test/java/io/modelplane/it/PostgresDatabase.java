package io.modelplane.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

  private PostgresDatabase(String name, String url) {
    this.name = name;
    this.url = url;
  }

  /** Creates the database, or skips (or fails, when PostgreSQL is required) without a server. */
  static PostgresDatabase create() {
    String name = "modelplane_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = adminConnection();
        Statement statement = admin.createStatement()) {
      try (ResultSet version = statement.executeQuery("SELECT version()")) {
        version.next();
        System.out.println("[modelplane-it] PostgreSQL server: " + version.getString(1));
      }
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String problem = "cannot use PostgreSQL at " + ADMIN_URL + ": " + e.getMessage();
      if (Boolean.parseBoolean(env("MODELPLANE_REQUIRE_POSTGRES", "false"))) {
        throw new IllegalStateException("PostgreSQL is required but " + problem, e);
      }
      System.out.println("[modelplane-it] skipping PostgreSQL tests: " + problem);
      assumeTrue(false, problem);
    }
    return new PostgresDatabase(name, withDatabase(ADMIN_URL, name));
  }

  String name() {
    return name;
  }

  /** The JDBC URL of this database. */
  String url() {
    return url;
  }

  String user() {
    return ADMIN_USER;
  }

  String password() {
    return ADMIN_PASSWORD;
  }

  /** A connection to this database, e.g. to look at what the server wrote. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, ADMIN_USER, ADMIN_PASSWORD);
  }

  @Override
  public void close() {
    try (Connection admin = adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("[modelplane-it] could not drop database " + name + ": " + e);
    }
  }

  private static Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
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
