package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InSubquery;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import scala.collection.JavaConverters;

/**
 * A deployment's {@code filter_sql}, parsed again by Spark's own expression parser (defence in
 * depth: the server parsed it already) into a predicate column. It is never spliced into a SQL
 * statement: only a single expression parses, and one that holds a subquery is refused. Whether it
 * is boolean and names existing columns is checked when it is applied to the source.
 */
public final class FilterExpression {

  private FilterExpression() {}

  /** The filter as a column, or a failure naming what is wrong with it. */
  public static Column parse(SparkSession spark, String filterSql) {
    Expression expression;
    try {
      expression = spark.sessionState().sqlParser().parseExpression(filterSql);
    } catch (ParseException e) {
      throw new RunnerException(
          "filter_sql does not parse as one SQL expression: " + firstLine(e.getMessage()));
    }
    if (holdsSubquery(expression)) {
      throw new RunnerException("filter_sql must not contain a subquery");
    }
    return new Column(expression);
  }

  private static boolean holdsSubquery(Expression expression) {
    if (expression instanceof SubqueryExpression || expression instanceof InSubquery) {
      return true;
    }
    for (Expression child : JavaConverters.seqAsJavaList(expression.children())) {
      if (holdsSubquery(child)) {
        return true;
      }
    }
    return false;
  }

  static String firstLine(String message) {
    String text = String.valueOf(message).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
