package io.modelplane.server.service;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

/**
 * Describes an exception for a log line without a stack trace, SQL text or bound values: class
 * names and messages along the cause chain, and only the SQLState of database errors.
 */
public final class SafeErrors {
  private SafeErrors() {}

  public static String describe(Throwable error) {
    StringBuilder out = new StringBuilder();
    Throwable current = error;
    for (int depth = 0; current != null && depth < 6; depth++, current = current.getCause()) {
      if (depth > 0) {
        out.append("; caused by ");
      }
      out.append(current.getClass().getName());
      if (current instanceof SQLException sql) {
        out.append(" (SQLState ").append(sql.getSQLState()).append(')');
        // Only the first line: the rest may quote SQL, positions and values.
        String message =
            sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
        if (!message.contains("\"") && !message.contains("'") && message.length() < 200) {
          out.append(": ").append(message);
        }
        break;
      }
      if (!(current instanceof JdbiException) && current.getMessage() != null) {
        String message = current.getMessage();
        out.append(": ").append(message.length() > 300 ? message.substring(0, 300) : message);
      }
    }
    return out.toString().replaceAll("[\\r\\n]+", " ");
  }

  /**
   * True when the database could not be reached (pool timeout, refused or broken connection), or is
   * shutting down or restarting: SQLState class 08 (connection exception) and 57P (operator
   * intervention: {@code 57P01} admin shutdown, {@code 57P02} crash shutdown, {@code 57P03} cannot
   * connect now), which a pooled connection reports when PostgreSQL was stopped under it.
   */
  public static boolean isDatabaseUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof ConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }
}
