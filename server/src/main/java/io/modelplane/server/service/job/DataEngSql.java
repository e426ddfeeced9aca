package io.modelplane.server.service.job;

import io.modelplane.server.service.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Checks what an {@code airflow.dataeng} job runs: {@code source} and {@code destination} are
 * {@code [catalog.]schema.table} names of plain identifiers, and {@code properties_json.sql} is
 * exactly one {@code SELECT} (JSqlParser) that reads no table but {@code source}, without {@code
 * ;}, comments, {@code INTO}, or the Spark functions that call Java ({@code reflect}, {@code
 * java_method}). The runner parses it again with Spark's own parser before running it.
 */
public final class DataEngSql {
  /** The longest statement accepted. */
  public static final int MAX_LENGTH = 20_000;

  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}(\\.[A-Za-z_][A-Za-z0-9_]{0,127}){1,2}");
  private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern JAVA_CALLING_FUNCTION =
      Pattern.compile("(?i)\\b(reflect|try_reflect|java_method)\\s*\\(");
  private static final List<Object> SQL = List.of("properties_json", "sql");

  private DataEngSql() {}

  /** A table name of a dataeng job, or a 422 at {@code field}. */
  public static String tableName(String value, String field) {
    if (value == null) {
      throw InvalidRequestException.missing(
          InvalidRequestException.Part.BODY,
          field + " is required for job_type airflow.dataeng",
          field);
    }
    if (!TABLE_NAME.matcher(value).matches()) {
      throw InvalidRequestException.invalidValue(
          InvalidRequestException.Part.BODY,
          field
              + " must be [catalog.]schema.table of plain identifiers (letters, digits, _), such"
              + " as lake.sales.orders",
          field);
    }
    return value;
  }

  /** The statement, checked; a 422 at {@code properties_json.sql} otherwise. */
  public static String select(Object value, String source) {
    if (value == null) {
      throw InvalidRequestException.missing(
          InvalidRequestException.Part.BODY,
          "properties_json.sql is required for job_type airflow.dataeng",
          SQL.toArray());
    }
    if (!(value instanceof String sql)) {
      throw InvalidRequestException.notAString(InvalidRequestException.Part.BODY, SQL.toArray());
    }
    if (sql.length() > MAX_LENGTH) {
      throw InvalidRequestException.tooLong(
          InvalidRequestException.Part.BODY, MAX_LENGTH, SQL.toArray());
    }
    String outsideStrings = STRING_LITERAL.matcher(sql).replaceAll("0");
    if (outsideStrings.indexOf('\'') >= 0) {
      throw invalid("properties_json.sql has an unterminated string literal");
    }
    if (outsideStrings.contains(";")) {
      throw invalid("properties_json.sql must be one statement: ';' is not allowed");
    }
    if (outsideStrings.contains("--") || outsideStrings.contains("/*")) {
      throw invalid("properties_json.sql must not contain comments");
    }
    Matcher javaCall = JAVA_CALLING_FUNCTION.matcher(outsideStrings);
    if (javaCall.find()) {
      throw invalid("properties_json.sql may not call " + javaCall.group(1) + "()");
    }
    Statement statement;
    try {
      statement = CCJSqlParserUtil.parse(sql);
    } catch (JSQLParserException | RuntimeException e) {
      throw invalid("properties_json.sql is not a valid SQL SELECT statement");
    }
    if (!(statement instanceof Select select)) {
      throw invalid("properties_json.sql must be a SELECT statement");
    }
    if (select instanceof PlainSelect plain
        && (plain.getIntoTables() != null || plain.getIntoTempTable() != null)) {
      throw invalid("properties_json.sql must not use INTO: the job writes its destination");
    }
    Set<String> tables = new TablesNamesFinder<Void>().getTables(statement);
    for (String table : tables) {
      if (!unquoted(table).equalsIgnoreCase(source)) {
        throw invalid(
            "properties_json.sql may read only the job's source table "
                + source
                + ", not "
                + table);
      }
    }
    return sql;
  }

  private static String unquoted(String name) {
    return name.replace("`", "").replace("\"", "").toLowerCase(Locale.ROOT);
  }

  private static InvalidRequestException invalid(String message) {
    return InvalidRequestException.invalidValue(InvalidRequestException.Part.BODY, SQL, message);
  }
}
