package io.modelplane.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SafeErrorsTest {

  private static RuntimeException wrapped(SQLException cause) {
    return new IllegalStateException("statement failed", cause);
  }

  @Test
  void aRefusedOrBrokenConnectionOrAPoolTimeoutIsUnavailability() {
    assertThat(SafeErrors.isDatabaseUnavailable(wrapped(new SQLException("refused", "08001"))))
        .isTrue();
    assertThat(SafeErrors.isDatabaseUnavailable(wrapped(new SQLException("i/o", "08006"))))
        .isTrue();
    assertThat(
            SafeErrors.isDatabaseUnavailable(
                wrapped(new SQLTransientConnectionException("pool timed out"))))
        .isTrue();
  }

  @Test
  void aConnectionTerminatedByAStoppingOrRestartingPostgresIsUnavailability() {
    // What a pooled connection reports after `pg_ctl stop -m fast`, a crash or during recovery.
    for (String state : new String[] {"57P01", "57P02", "57P03"}) {
      assertThat(SafeErrors.isDatabaseUnavailable(wrapped(new SQLException("FATAL", state))))
          .as(state)
          .isTrue();
    }
  }

  @Test
  void otherDatabaseErrorsAreNot() {
    assertThat(SafeErrors.isDatabaseUnavailable(wrapped(new SQLException("canceled", "57014"))))
        .isFalse();
    assertThat(SafeErrors.isDatabaseUnavailable(wrapped(new SQLException("unique", "23505"))))
        .isFalse();
    assertThat(SafeErrors.isDatabaseUnavailable(new IllegalStateException("no cause"))).isFalse();
  }
}
