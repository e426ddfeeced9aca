package io.modelplane.runner.bench;

import io.modelplane.runner.RunnerMain;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.mlflow.PythonModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.spark.sql.SparkSession;

/**
 * The scorer's throughput next to a plain Spark read-and-write of the same rows, in one JVM on
 * {@code local[2]} (docs/benchmarks.md), then the scorer as its own process ({@code java -jar
 * modelplane-runner.jar score}) for its wall time and peak RSS. Not a test: run it with {@code mvn
 * -B -Pbench -pl runner -am test -DskipTests} (after {@code mvn -B -pl runner package -DskipTests}
 * for the process measurement).
 */
public final class ScorerBenchmark {

  private static final int ROUNDS = 2;

  private ScorerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("bench.rows", 1_000_000);
    Path root = Files.createTempDirectory("scorer-bench-");
    try (MlflowStandIn mlflow = MlflowStandIn.start()) {
      Map<String, String> env = new HashMap<>();
      env.put("MODELPLANE_ICEBERG_CATALOG", "bench");
      env.put("MODELPLANE_ICEBERG_WAREHOUSE", root.resolve("warehouse").toString());
      env.put("MODELPLANE_SPARK_MASTER", "local[2]");
      env.put("MODELPLANE_MLFLOW_URL", mlflow.url());
      RunnerSettings settings = RunnerSettings.fromEnvironment(env);
      SparkSession spark = SparkSessions.open(settings);

      spark.sql("CREATE NAMESPACE IF NOT EXISTS bench.crm");
      spark
          .range(1, rows + 1L)
          .selectExpr(
              "id AS customer_id",
              "CASE WHEN id % 2 = 0 THEN 'EU' ELSE 'US' END AS region",
              "CAST((id % 97) / 10.0 AS DOUBLE) AS f1",
              "CAST(((id * 7) % 31) / 3.0 AS DOUBLE) AS f2")
          .writeTo("bench.crm.customers")
          .using("iceberg")
          .create();
      String version =
          mlflow
              .registerPythonModel(
                  PythonModel.xgboost("bench-churn", "ubj", booster(), List.of("f1", "f2")))
              .version();
      String deployment = deploymentJson(version, "bench.crm.%s");

      double bestCopy = Double.MAX_VALUE;
      double bestScore = Double.MAX_VALUE;
      for (int round = 1; round <= ROUNDS; round++) {
        long start = System.nanoTime();
        spark
            .table("bench.crm.customers")
            .writeTo("bench.crm.copy_" + round)
            .using("iceberg")
            .create();
        double copy = seconds(start);
        start = System.nanoTime();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
            RunnerMain.run(
                settings,
                new PrintWriter(out),
                new PrintWriter(err),
                "score",
                "--deployment-json",
                String.format(deployment, "scores_" + round),
                "--run-id",
                "bench__" + round,
                "--logical-date",
                "2026-01-01T00:00:00+00:00");
        double score = seconds(start);
        if (code != 0) {
          throw new IllegalStateException("score failed: " + err);
        }
        System.out.printf(
            "round %d: spark copy %.1f s, scorer %.1f s (%s)%n",
            round, copy, score, out.toString().strip());
        bestCopy = Math.min(bestCopy, copy);
        bestScore = Math.min(bestScore, score);
      }
      System.out.printf("rows = %d, master = local[2], best of %d rounds%n", rows, ROUNDS);
      System.out.printf("spark_copy: %.1f s, %.0f rows/s%n", bestCopy, rows / bestCopy);
      System.out.printf("scorer: %.1f s, %.0f rows/s%n", bestScore, rows / bestScore);
      System.out.printf("scorer_vs_spark_copy = %.2f%n", bestCopy / bestScore);

      Path jar = Path.of(System.getProperty("bench.runner.jar", "target/modelplane-runner.jar"));
      if (Files.isRegularFile(jar)) {
        scorerProcess(jar, env, String.format(deployment, "scores_process"));
      } else {
        System.out.println("scorer process: skipped, " + jar + " is not built");
      }
    }
  }

  /** The scorer as the DAG runs it: its own JVM; wall time and peak RSS (VmHWM, polled). */
  private static void scorerProcess(Path jar, Map<String, String> env, String deployment)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "score",
            "--deployment-json",
            deployment,
            "--run-id",
            "bench__process",
            "--logical-date",
            "2026-01-02T00:00:00+00:00"));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    long peakKb = 0;
    while (process.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
          }
        }
      } catch (IOException gone) {
        break;
      }
      Thread.sleep(100);
    }
    int code = process.waitFor();
    System.out.printf(
        "scorer process (java -jar, default heap): exit %d, %.1f s wall, peak RSS %d MB%n",
        code, seconds(start), peakKb / 1024);
  }

  private static byte[] booster() throws Exception {
    int rows = 2000;
    float[] values = new float[rows * 2];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      long id = i + 1;
      values[2 * i] = (id % 97) / 10.0f;
      values[2 * i + 1] = ((id * 7) % 31) / 3.0f;
      labels[i] = values[2 * i] + 0.5f * values[2 * i + 1] > 7.5f ? 1f : 0f;
    }
    DMatrix training = new DMatrix(values, rows, 2, Float.NaN);
    training.setLabel(labels);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 6);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    Booster booster = XGBoost.train(training, params, 50, new HashMap<>(), null, null);
    return booster.toByteArray("ubj");
  }

  private static String deploymentJson(String version, String targetPattern) {
    String target = targetPattern.substring(targetPattern.lastIndexOf('.') + 1);
    return ("{\"model_name\":\"bench-churn\",\"name\":\"bench\",\"model_version\":\""
            + version
            + "\","
            + "\"source\":{\"catalog\":\"bench\",\"schema\":\"crm\",\"table\":\"customers\","
            + "\"filter_sql\":null,\"snapshot_id\":null},"
            + "\"target\":{\"catalog\":\"bench\",\"schema\":\"crm\",\"table\":\""
            + target
            + "\"},"
            + "\"entity_columns\":[\"customer_id\"],\"rerun_behavior\":\"overwrite_partition\","
            + "\"partition_column\":\"scored_at\"}")
        .replace("%s", "%s");
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
