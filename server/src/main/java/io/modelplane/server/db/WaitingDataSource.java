package io.modelplane.server.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool as the application uses it: waits out a pool that is merely busy, but not a database
 * that is down.
 *
 * <p>Hikari gives up on a connection after its connection timeout (3 s, so that a request answers
 * 503 quickly when the database is down) in both cases. A timeout whose exception has no cause
 * comes from a healthy pool whose connections are all in use (Hikari reports the last failed
 * attempt to connect as the cause, and forgets it once a connection succeeds): a burst of requests
 * larger than the pool must queue for it, not answer 503. Such a timeout is waited out again, up to
 * {@code maxWait} in all; a timeout with a cause goes up at once.
 */
final class WaitingDataSource implements DataSource {
  private final DataSource pool;
  private final long maxWaitNanos;

  WaitingDataSource(DataSource pool, Duration maxWait) {
    this.pool = pool;
    this.maxWaitNanos = maxWait.toNanos();
  }

  @Override
  public Connection getConnection() throws SQLException {
    long deadline = System.nanoTime() + maxWaitNanos;
    while (true) {
      try {
        return pool.getConnection();
      } catch (SQLTransientConnectionException e) {
        if (e.getCause() != null || System.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return pool.getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || pool.isWrapperFor(type);
  }
}
