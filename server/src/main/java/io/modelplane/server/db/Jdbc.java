package io.modelplane.server.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
   * names in the order of the placeholders. Quoted literals and identifiers are left alone, and so
   * is {@code ::} (a PostgreSQL cast).
   */
  record NamedSql(String sql, List<String> parameters) {
    static NamedSql parse(String named) {
      StringBuilder sql = new StringBuilder(named.length());
      List<String> parameters = new ArrayList<>();
      int i = 0;
      while (i < named.length()) {
        char c = named.charAt(i);
        if (c == '\'' || c == '"') {
          int end = named.indexOf(c, i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("unterminated quote in " + named);
          }
          sql.append(named, i, end + 1);
          i = end + 1;
        } else if (c == ':' && i + 1 < named.length() && named.charAt(i + 1) == ':') {
          sql.append("::");
          i += 2;
        } else if (c == ':'
            && i + 1 < named.length()
            && Character.isJavaIdentifierStart(named.charAt(i + 1))) {
          int end = i + 1;
          while (end < named.length() && Character.isJavaIdentifierPart(named.charAt(end))) {
            end++;
          }
          parameters.add(named.substring(i + 1, end));
          sql.append('?');
          i = end;
        } else {
          sql.append(c);
          i++;
        }
      }
      return new NamedSql(sql.toString(), List.copyOf(parameters));
    }
  }
}
