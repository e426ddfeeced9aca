package io.modelplane.server.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;

/**
 * Plain JDBC for the few statements of the hot request paths, bound the way JDBI binds the same
 * values (see {@code Database}): strings as {@code VARCHAR}, longs as {@code BIGINT}, instants as
 * {@link Timestamp}, UUIDs as objects ({@code OTHER} when null). Their SQL is parsed once, not per
 * call.
 */
final class Jdbc {
  private Jdbc() {}

  static void setString(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  static void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.TIMESTAMP);
    } else {
      statement.setTimestamp(index, Timestamp.from(value));
    }
  }

  static void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.OTHER);
    } else {
      statement.setObject(index, value);
    }
  }

  /**
   * SQL with JDBI-style named parameters ({@code :name}) turned into JDBC's {@code ?}, and the
   * names in the order of the placeholders: JDBI's own parser (quoted text, comments and {@code ::}
   * casts left alone), called once per statement shape instead of on every execution.
   */
  record NamedSql(String sql, List<String> parameters) {
    private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();

    static NamedSql parse(String named) {
      ParsedSql parsed = PARSER.parse(named, null); // the colon parser does not read the context
      return new NamedSql(parsed.getSql(), List.copyOf(parsed.getParameters().getParameterNames()));
    }
  }
}
