package io.modelplane.server.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.modelplane.server.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases for tests. H2: a fresh in-memory database per call. PostgreSQL: the machine's server
 * ({@code MODELPLANE_TEST_DB_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test} as user
 * postgres), in a database of its own created once per test run and dropped at exit. When
 * PostgreSQL does not answer, PostgreSQL tests are skipped, unless {@code
 * MODELPLANE_REQUIRE_POSTGRES=true} (as in CI), where they fail.
 */
public final class TestDatabases {
  private static final String ADMIN_URL =
      env("MODELPLANE_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String ADMIN_USER = env("MODELPLANE_TEST_DB_USER", "postgres");
  private static final String ADMIN_PASSWORD = env("MODELPLANE_TEST_DB_PASSWORD", "");
  private static volatile DatabaseConfig postgres;
  private static volatile String postgresProblem;

  private TestDatabases() {}

  public static DatabaseConfig h2() {
    return new DatabaseConfig(
        "jdbc:h2:mem:mp_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "",
        "",
        4);
  }

  /** The test run's PostgreSQL database; skips (or fails in CI) when PostgreSQL is down. */
  public static synchronized DatabaseConfig postgres() {
    if (postgres == null && postgresProblem == null) {
      createPostgresDatabase();
    }
    if (postgresProblem != null) {
      if (Boolean.parseBoolean(env("MODELPLANE_REQUIRE_POSTGRES", "false"))) {
        throw new IllegalStateException("PostgreSQL is required but " + postgresProblem);
      }
      assumeTrue(false, "PostgreSQL not available: " + postgresProblem);
    }
    return postgres;
  }

  private static void createPostgresDatabase() {
    String name =
        "modelplane_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
        Statement statement = admin.createStatement()) {
      try (ResultSet version = statement.executeQuery("SELECT version()")) {
        version.next();
        System.out.println("[modelplane-tests] PostgreSQL server: " + version.getString(1));
      }
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      postgresProblem = "cannot connect to " + ADMIN_URL + ": " + e.getMessage();
      return;
    }
    String url = withDatabase(ADMIN_URL, name);
    postgres = new DatabaseConfig(url, ADMIN_USER, ADMIN_PASSWORD, 8);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try (Connection admin =
                          DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
                      Statement statement = admin.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                  } catch (SQLException e) {
                    System.err.println("could not drop test database " + name + ": " + e);
                  }
                }));
  }

  /** Replaces the database name in a PostgreSQL JDBC URL. */
  static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + params;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
