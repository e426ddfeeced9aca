package io.modelplane.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * A pooled connection without a JDBI handle, for the few statements of the hot request paths (a run
 * callback, the deployment check of the authorization filter, a user PSK's look-up): opening a
 * handle copies JDBI's whole configuration, which cost more server CPU than these statements. The
 * pool is the one {@link Database} gives JDBI (kept in JDBI's configuration, so whoever has the
 * {@link Jdbi} has it); failures surface as JDBI's would: {@link ConnectionException} when no
 * connection can be had, {@link UnableToExecuteStatementException} (the {@link SQLException} as its
 * cause) when a statement fails.
 */
public final class PlainJdbc implements JdbiConfig<PlainJdbc> {
  private DataSource dataSource;

  public PlainJdbc() {}

  private PlainJdbc(PlainJdbc that) {
    this.dataSource = that.dataSource;
  }

  void dataSource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public PlainJdbc createCopy() {
    return new PlainJdbc(this);
  }

  /** Work on one connection in auto-commit mode. */
  @FunctionalInterface
  public interface ConnectionCallback<T> {
    T apply(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code callback} on a connection of {@code jdbi}'s pool, then gives the connection back. A
   * {@link Jdbi} not made by {@link Database} (no pool known) lends its handle's connection.
   */
  public static <T> T withConnection(Jdbi jdbi, ConnectionCallback<T> callback) {
    DataSource dataSource = jdbi.getConfig(PlainJdbc.class).dataSource;
    if (dataSource == null) {
      return jdbi.withHandle(handle -> run(handle.getConnection(), callback));
    }
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw new ConnectionException(e);
    }
    try (connection) {
      return run(connection, callback);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null); // from close()
    }
  }

  private static <T> T run(Connection connection, ConnectionCallback<T> callback) {
    try {
      return callback.apply(connection);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }
}
