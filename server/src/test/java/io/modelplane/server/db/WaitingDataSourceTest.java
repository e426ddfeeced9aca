package io.modelplane.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class WaitingDataSourceTest {

  private static final Connection CONNECTION =
      (Connection)
          Proxy.newProxyInstance(
              WaitingDataSourceTest.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> null);

  /** Answers each getConnection with the next outcome: an exception to throw, or a connection. */
  private static final class ScriptedPool implements DataSource {
    final Deque<Object> outcomes;
    int calls;

    ScriptedPool(List<Object> outcomes) {
      this.outcomes = new ArrayDeque<>(outcomes);
    }

    @Override
    public Connection getConnection() throws SQLException {
      calls++;
      Object next = outcomes.removeFirst();
      if (next instanceof SQLException e) {
        throw e;
      }
      return (Connection) next;
    }

    @Override
    public Connection getConnection(String u, String p) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return null;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      return null;
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }

  private static SQLTransientConnectionException busy() {
    return new SQLTransientConnectionException("timed out (total=10, active=10, waiting=90)");
  }

  @Test
  void aBusyPoolIsWaitedForUntilAConnectionIsFree() throws SQLException {
    ScriptedPool pool = new ScriptedPool(List.of(busy(), busy(), CONNECTION));

    Connection connection = new WaitingDataSource(pool, Duration.ofSeconds(30)).getConnection();

    assertThat(connection).isSameAs(CONNECTION);
    assertThat(pool.calls).isEqualTo(3);
  }

  @Test
  void aDatabaseThatCannotBeReachedFailsAtOnce() {
    SQLTransientConnectionException down =
        new SQLTransientConnectionException(
            "timed out", "08001", 0, new SQLException("refused", "08001", new ConnectException()));
    ScriptedPool pool = new ScriptedPool(List.of(down, CONNECTION));

    assertThatThrownBy(() -> new WaitingDataSource(pool, Duration.ofSeconds(30)).getConnection())
        .isSameAs(down);
    assertThat(pool.calls).isEqualTo(1);
  }

  @Test
  void aPoolBusyForLongerThanTheMaximumWaitFails() {
    SQLTransientConnectionException last = busy();
    ScriptedPool pool = new ScriptedPool(List.of(last, CONNECTION));

    assertThatThrownBy(() -> new WaitingDataSource(pool, Duration.ZERO).getConnection())
        .isSameAs(last);
  }
}
