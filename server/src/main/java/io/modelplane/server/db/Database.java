package io.modelplane.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modelplane.server.config.DatabaseConfig;
import java.sql.Types;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool, the schema migrations and the JDBI handle factory. */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** How long a request may wait for a connection of a busy (not broken) pool. */
  private static final Duration BUSY_POOL_WAIT = Duration.ofSeconds(30);

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi =
        Jdbi.create(new WaitingDataSource(dataSource, BUSY_POOL_WAIT))
            .installPlugin(new SqlObjectPlugin());
    jdbi.getConfig(PlainJdbc.class).dataSource(new WaitingDataSource(dataSource, BUSY_POOL_WAIT));
    // A null UUID must reach PostgreSQL typed as "other", not as varchar.
    jdbi.registerArgument(
        new AbstractArgumentFactory<UUID>(Types.OTHER) {
          @Override
          protected Argument build(UUID value, ConfigRegistry config) {
            return (position, statement, context) -> statement.setObject(position, value);
          }
        });
  }

  /** Opens the pool and applies pending Flyway migrations. */
  public static Database open(DatabaseConfig config) {
    Database database = connect(config);
    try {
      database.migrate();
      return database;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * Opens the pool only: {@link #migrate()} must have run before the first query (the server
   * migrates while the HTTP stack initializes, and only then accepts connections).
   */
  public static Database connect(DatabaseConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("modelplane-db");
    hikari.setJdbcUrl(config.url());
    if (!config.user().isEmpty()) {
      hikari.setUsername(config.user());
    }
    if (!config.password().isEmpty()) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.poolSize());
    // Fail fast when the database is down: a request answers 503 within seconds, never hangs.
    // (A pool that is only busy is waited for longer: see WaitingDataSource.)
    hikari.setConnectionTimeout(3_000);
    hikari.setValidationTimeout(1_000);
    hikari.setInitializationFailTimeout(30_000);
    if (config.isH2()) {
      LOG.warn(
          "Using the embedded H2 database ({}): for development only; use PostgreSQL in"
              + " production (MODELPLANE_DB_URL).",
          config.redactedUrl());
    }
    // Started on first use, i.e. by migrate(): opening the first connection is part of the
    // work that overlaps with the HTTP stack's start.
    HikariDataSource dataSource = new HikariDataSource();
    hikari.copyStateTo(dataSource);
    return new Database(dataSource);
  }

  /** Applies pending Flyway migrations. */
  public void migrate() {
    var result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            // All pending migrations in one transaction: two servers starting on the same empty
            // database never split them (one applies all, the other finds none).
            .group(true)
            .load()
            .migrate();
    LOG.info(
        "Database schema at version {} ({} migrations applied now)",
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion,
        result.migrationsExecuted);
  }

  /**
   * Publishes the pool's metrics (connections active, idle, pending, acquisition times) to a
   * Micrometer registry. Must be called before the pool starts, i.e. before {@link #migrate()}.
   */
  public void publishPoolMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    dataSource.setMetricsTrackerFactory(
        new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /** True when the database answers a trivial query. */
  public boolean isReachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
