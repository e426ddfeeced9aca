package io.modelplane.runner.sql;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.collection.JavaConverters;

/**
 * Spark's own check of a job's statement, before anything runs: the parsed plan is one query (no
 * command, no INSERT, no script transformation), the functions that call Java are gone from the
 * session, and the analysed plan reads the source table and nothing else (no files, no other
 * table). The server checked the same statement with JSqlParser; this is the second line.
 */
final class SelectCheck {
  private static final Set<String> JAVA_CALLING_FUNCTIONS =
      Set.of("reflect", "java_method", "try_reflect");

  private SelectCheck() {}

  /** Refuses a statement that is not a plain query; returns its parsed plan. */
  static LogicalPlan parseQuery(SparkSession spark, String sql) {
    for (String function : JAVA_CALLING_FUNCTIONS) {
      spark
          .sessionState()
          .functionRegistry()
          .dropFunction(new FunctionIdentifier(function, scala.Option.empty()));
    }
    spark.conf().set("spark.sql.runSQLOnFiles", "false");
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (ParseException e) {
      throw new RunnerException(
          "the job's SQL does not parse: " + e.getMessage().lines().findFirst().orElse(""));
    }
    for (LogicalPlan node : nodes(plan)) {
      String kind = node.getClass().getSimpleName();
      if (node instanceof Command || kind.contains("Insert") || kind.contains("Script")) {
        throw new RunnerException(
            "the job's SQL must be one SELECT; it contains " + node.nodeName());
      }
    }
    return plan;
  }

  /** Refuses an analysed query that reads anything but {@code source}. */
  static void requireReadsOnly(LogicalPlan analyzed, TableName source) {
    for (LogicalPlan node : nodes(analyzed)) {
      if (!node.children().isEmpty()) {
        continue;
      }
      if (node instanceof DataSourceV2Relation relation) {
        String catalog = relation.catalog().isDefined() ? relation.catalog().get().name() : "";
        Identifier id = relation.identifier().isDefined() ? relation.identifier().get() : null;
        if (id != null
            && catalog.equalsIgnoreCase(source.catalog())
            && id.namespace().length == 1
            && id.namespace()[0].equalsIgnoreCase(source.schema())
            && id.name().equalsIgnoreCase(source.table())) {
          continue;
        }
        throw new RunnerException(
            "the job's SQL may read only " + source + ", not " + relation.name());
      }
      if (node instanceof OneRowRelation || node instanceof LocalRelation) {
        continue;
      }
      throw new RunnerException(
          "the job's SQL may read only " + source + ", not " + node.nodeName());
    }
  }

  /** The plan's nodes, those of its subqueries included. */
  private static List<LogicalPlan> nodes(LogicalPlan root) {
    List<LogicalPlan> all = new ArrayList<>();
    List<LogicalPlan> todo = new ArrayList<>(List.of(root));
    while (!todo.isEmpty()) {
      LogicalPlan node = todo.remove(todo.size() - 1);
      all.add(node);
      todo.addAll(JavaConverters.seqAsJavaList(node.children()));
      todo.addAll(JavaConverters.seqAsJavaList(node.subqueries()));
    }
    return all;
  }
}
