package io.modelplane.runner.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;

/**
 * How many tasks a distributed fit may run at once. XGBoost's fit is a barrier stage that needs all
 * its workers at the same time, so it must not ask for more than the cores there are: on {@code
 * local[N]} that is N (not {@code spark.default.parallelism}, which may be larger), on a cluster
 * Spark's default parallelism (the executors' cores).
 */
final class TrainingWorkers {
  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");

  private TrainingWorkers() {}

  static int count(SparkContext context) {
    String master = context.master();
    if (master.equals("local")) {
      return 1;
    }
    Matcher local = LOCAL.matcher(master);
    if (local.matches()) {
      return local.group(1).equals("*")
          ? Runtime.getRuntime().availableProcessors()
          : Math.max(1, Integer.parseInt(local.group(1)));
    }
    return Math.max(1, context.defaultParallelism());
  }
}
