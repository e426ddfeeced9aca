package io.modelplane.runner.train;

import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Training wall time and peak RSS for generated rows (default 100,000) × 20 numeric features, one
 * algorithm, problem type and preset per JVM (so the peak RSS is that run's). Not a test: run it
 * from the shaded jar, one configuration per process (docs/benchmarks.md has the loop):
 *
 * <pre>
 * java $ADD_OPENS -cp runner/target/test-classes:runner/target/modelplane-runner.jar \
 *   io.modelplane.runner.train.TrainingBenchmark xgboost_classifier binary_classification fast 100000
 * </pre>
 *
 * Prints one tab-separated line: algorithm, problem type, preset, rows, trials, load seconds,
 * training seconds, the selection metric, peak RSS in MiB (VmHWM of /proc/self/status).
 */
public final class TrainingBenchmark {

  private TrainingBenchmark() {}

  public static void main(String[] args) throws Exception {
    String algorithm = args[0];
    String problem = args[1];
    String preset = args[2];
    int rows = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    Path warehouse = Files.createTempDirectory("modelplane-bench-");
    Map<String, String> env = new HashMap<>();
    env.put("MODELPLANE_ICEBERG_WAREHOUSE", warehouse.toString());
    env.put("MODELPLANE_SPARK_MASTER", System.getProperty("master", "local[2]"));
    RunnerSettings settings = RunnerSettings.fromEnvironment(env);
    SparkSession spark = SparkSessions.open(settings);
    spark.sparkContext().setLogLevel("ERROR");
    String label = problem.equals("anomaly_detection") ? "is_outlier" : "y";
    String group = problem.equals("ranking") ? "query" : null;
    generate(spark, settings, problem, rows);

    TrainingJob job = TrainingJobs.json("bench.data", problem, algorithm, preset, label, group);
    long start = System.nanoTime();
    TrainingData data =
        TrainingData.load(
            new IcebergTables(spark), TableName.parse("bench.data", settings.catalogName()), job);
    long loaded = System.nanoTime();
    TrainedModel model =
        Trainer.train(
            job,
            Algorithm.supported(algorithm, job.problemType()),
            data,
            TrainingWorkers.count(spark.sparkContext()));
    long trained = System.nanoTime();
    System.out.printf(
        "%s\t%s\t%s\t%d\t%d\t%.1f\t%.1f\t%s=%.4f\t%d%n",
        algorithm,
        problem,
        preset,
        rows,
        model.trials().size(),
        (loaded - start) / 1e9,
        (trained - loaded) / 1e9,
        model.selectionMetric(),
        model.validationMetrics().getOrDefault(model.selectionMetric(), Double.NaN),
        peakRssMib());
    spark.stop();
    // As RunnerMain does: SynapseML leaves a non-daemon thread pool behind that keeps the JVM up.
    System.exit(0);
  }

  /** 20 numeric features; the label depends on the first five (plus noise). */
  private static void generate(
      SparkSession spark, RunnerSettings settings, String problem, int rows) {
    StringBuilder features = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      features.append(", randn(").append(i).append(") AS f").append(i);
    }
    String signal = "f0 + 0.8 * f1 - 0.6 * f2 + 0.4 * f3 * f4 + 0.3 * randn(99)";
    String labelled =
        switch (problem) {
          case "binary_classification" -> "CASE WHEN " + signal + " > 0 THEN 1 ELSE 0 END AS y";
          case "multiclass_classification" ->
              "CASE WHEN "
                  + signal
                  + " > 0.7 THEN 'a' WHEN "
                  + signal
                  + " > -0.7 THEN 'b' ELSE 'c' END AS y";
          case "regression" -> signal + " AS y";
          case "ranking" ->
              "CAST(LEAST(3, GREATEST(0, FLOOR("
                  + signal
                  + " + 1.5))) AS INT) AS y,"
                  + " CONCAT('q', CAST(id % "
                  + Math.max(1, rows / 20)
                  + " AS STRING)) AS query";
          case "anomaly_detection" -> "CASE WHEN id % 50 = 0 THEN 1 ELSE 0 END AS is_outlier";
          default -> throw new IllegalArgumentException(problem);
        };
    String base = "SELECT id" + features + " FROM range(" + rows + ")";
    String shifted =
        problem.equals("anomaly_detection")
            ? "SELECT id, " + outlierShift() + " FROM (" + base + ")"
            : base;
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + settings.catalogName() + ".bench");
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      names.append("f").append(i).append(", ");
    }
    spark.sql(
        "CREATE TABLE "
            + settings.catalogName()
            + ".bench.data USING iceberg AS SELECT "
            + names
            + labelled
            + " FROM ("
            + shifted
            + ")");
  }

  private static String outlierShift() {
    StringBuilder columns = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      columns
          .append(i == 0 ? "" : ", ")
          .append("CASE WHEN id % 50 = 0 THEN f")
          .append(i)
          .append(" * 4 + 5 ELSE f")
          .append(i)
          .append(" END AS f")
          .append(i);
    }
    return columns.toString();
  }

  private static long peakRssMib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
