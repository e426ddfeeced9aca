package io.modelplane.runner.bench;

import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassificationModel;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassifier;
import io.modelplane.runner.RunnerMain;
import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.mlflow.MlflowRecords.RunInfo;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.spark.SparkSessions;
import io.modelplane.runner.train.TrainLikePipelines;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.mlflow.PythonModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The scorer's throughput next to a plain Spark read-and-write of the same rows, in one JVM on
 * {@code local[2]} (docs/benchmarks.md), then the scorer as its own process ({@code java -jar
 * modelplane-runner.jar score}) for its wall time and peak RSS. Not a test: run it with {@code mvn
 * -B -Pbench -pl runner -am test -DskipTests} (after {@code mvn -B -pl runner package -DskipTests}
 * for the process measurement).
 */
public final class ScorerBenchmark {

  private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);

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
      List<String> flavors =
          List.of(System.getProperty("bench.flavors", "xgboost,lightgbm,spark").split(","));
      Map<String, String> versions = new java.util.LinkedHashMap<>();
      for (String flavor : flavors) {
        versions.put(flavor, register(mlflow, spark, flavor));
      }
      // The copy reads as Spark plans it by default: Iceberg packs the source's few small files
      // into one read task. The scorer plans at least one task per core (SourceRows); the second
      // copy reads with the same split size, for reference.
      long splitSize = scorerSplitSize(spark, rows);
      System.out.printf("scorer's read split size: %d bytes%n", splitSize);

      Map<String, double[]> best = new java.util.LinkedHashMap<>();
      for (int round = 1; round <= ROUNDS; round++) {
        final int current = round;
        double[] copy =
            measure(
                () ->
                    spark
                        .table("bench.crm.customers")
                        .writeTo("bench.crm.copy_" + current)
                        .using("iceberg")
                        .create());
        keepBest(best, "spark copy", copy);
        double[] splitCopy =
            measure(
                () ->
                    spark
                        .read()
                        .option("split-size", splitSize)
                        .table("bench.crm.customers")
                        .writeTo("bench.crm.split_copy_" + current)
                        .using("iceberg")
                        .create());
        keepBest(best, "spark copy, scorer's split", splitCopy);
        System.out.printf(
            "round %d: spark copy %.1f s (%.1f s CPU), with the scorer's split %.1f s (%.1f s CPU)%n",
            round, copy[0], copy[1], splitCopy[0], splitCopy[1]);
        for (Map.Entry<String, String> model : versions.entrySet()) {
          String deployment =
              String.format(
                  deploymentJson(model.getKey(), model.getValue(), "bench.crm.%s"),
                  "scores_" + model.getKey() + "_" + round);
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          int[] code = new int[1];
          double[] scored =
              measure(
                  () ->
                      code[0] =
                          RunnerMain.run(
                              settings,
                              new PrintWriter(out),
                              new PrintWriter(err),
                              "score",
                              "--deployment-json",
                              deployment,
                              "--run-id",
                              "bench__" + current,
                              "--logical-date",
                              "2026-01-01T00:00:00+00:00"));
          if (code[0] != 0) {
            throw new IllegalStateException("score failed: " + err);
          }
          keepBest(best, "scorer " + model.getKey(), scored);
          System.out.printf(
              "round %d: scorer %s %.1f s (%.1f s CPU) (%s)%n",
              round, model.getKey(), scored[0], scored[1], out.toString().strip());
        }
      }
      System.out.printf("rows = %d, master = local[2], best of %d rounds%n", rows, ROUNDS);
      best.forEach(
          (name, figures) ->
              System.out.printf(
                  "%s: %.1f s, %.0f rows/s; %.1f s CPU (process, all threads)%n",
                  name, figures[0], rows / figures[0], figures[1]));
      double copyWall = best.get("spark copy")[0];
      double copyCpu = best.get("spark copy")[1];
      for (String flavor : versions.keySet()) {
        double[] scorer = best.get("scorer " + flavor);
        System.out.printf(
            "scorer_vs_spark_copy%s = %.2f (by CPU time: %.2f)%n",
            flavor.equals("xgboost") ? "" : "[" + flavor + "]",
            copyWall / scorer[0],
            copyCpu / scorer[1]);
      }

      Path jar = Path.of(System.getProperty("bench.runner.jar", "target/modelplane-runner.jar"));
      if (Files.isRegularFile(jar)) {
        scorerProcess(
            jar,
            env,
            String.format(
                deploymentJson(flavors.get(0), versions.get(flavors.get(0)), "bench.crm.%s"),
                "scores_process"));
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

  private static String deploymentJson(String flavor, String version, String targetPattern) {
    String target = targetPattern.substring(targetPattern.lastIndexOf('.') + 1);
    return ("{\"model_name\":\"bench-"
            + flavor
            + "\",\"name\":\"bench\",\"model_version\":\""
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

  /** Wall seconds and the process's CPU seconds (all threads, JIT and GC included) of a step. */
  private static double[] measure(Step step) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    step.run();
    return new double[] {seconds(start), (os.getProcessCpuTime() - cpu) / 1e9};
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void keepBest(Map<String, double[]> best, String name, double[] figures) {
    best.merge(name, figures, (a, b) -> a[0] <= b[0] ? a : b);
  }

  /** The split size SourceRows plans for the source on this session (data size / parallelism). */
  private static long scorerSplitSize(SparkSession spark, int rows) throws Exception {
    org.apache.iceberg.Table table =
        org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, "bench.crm.customers");
    long bytes = Long.parseLong(table.currentSnapshot().summary().get("total-files-size"));
    return Math.max(1L << 20, bytes / spark.sparkContext().defaultParallelism());
  }

  /** Registers the benchmark's model in one flavor; returns its version. */
  private static String register(MlflowStandIn mlflow, SparkSession spark, String flavor)
      throws Exception {
    switch (flavor) {
      case "xgboost":
        return mlflow
            .registerPythonModel(
                PythonModel.xgboost("bench-xgboost", "ubj", booster(), List.of("f1", "f2")))
            .version();
      case "lightgbm":
        {
          LightGBMClassifier classifier = new LightGBMClassifier();
          classifier.setFeaturesCol("fv");
          classifier.setLabelCol("label");
          classifier.setNumIterations(50);
          classifier.setNumThreads(1);
          LightGBMClassificationModel trained = classifier.fit(trainingRows(spark).coalesce(1));
          return mlflow
              .registerPythonModel(
                  PythonModel.lightgbm(
                      "bench-lightgbm",
                      trained.getNativeModel().getBytes(StandardCharsets.UTF_8),
                      List.of("f1", "f2")))
              .version();
        }
      case "spark":
      case "spark_lightgbm":
        {
          // What runner train logs: its encoding stages (cast, imputer, assembler, padding) and
          // XGBoost4J-Spark's model (50 trees, depth 6) or SynapseML's LightGBM model (50
          // iterations) in one PipelineModel, in MLflow's spark flavor.
          Dataset<Row> training = spark.range(1, 2001).selectExpr(GENERATED);
          PipelineModel pipeline =
              flavor.equals("spark")
                  ? TrainLikePipelines.xgboostClassifier(training, List.of("f1", "f2"), "label", 50)
                  : TrainLikePipelines.lightgbmClassifier(
                      training, List.of("f1", "f2"), "label", 50);
          Path folder = Files.createTempDirectory("bench-spark-model-");
          pipeline.write().overwrite().save(folder.resolve("sparkml").toString());
          Files.writeString(
              folder.resolve("MLmodel"),
              "artifact_path: model\nflavors:\n  spark:\n    model_class:"
                  + " pyspark.ml.pipeline.PipelineModel\n    model_data: sparkml\n"
                  + "    pyspark_version: 3.5.6\nmetadata:\n  modelplane_feature_columns:\n"
                  + "  - f1\n  - f2\nmlflow_version: 2.16.0\n");
          MlflowClient client = MlflowClient.builder(mlflow.url()).build();
          String experiment = client.getOrCreateExperiment("bench");
          RunInfo run = client.createRun(experiment, "train", System.currentTimeMillis(), Map.of());
          String source = run.artifactUri() + "/model";
          client.uploadArtifacts(source, folder);
          client.getOrCreateRegisteredModel("bench-" + flavor);
          return client.createModelVersion("bench-" + flavor, source, run.runId()).version();
        }
      default:
        throw new IllegalArgumentException(
            "bench.flavors: xgboost, lightgbm, spark or spark_lightgbm, not " + flavor);
    }
  }

  private static final String[] GENERATED = {
    "id AS customer_id",
    "CAST((id % 97) / 10.0 AS DOUBLE) AS f1",
    "CAST(((id * 7) % 31) / 3.0 AS DOUBLE) AS f2",
    "CASE WHEN (id % 97) / 10.0 + 0.5 * ((id * 7) % 31) / 3.0 > 7.5 THEN 1.0 ELSE 0.0 END AS label"
  };

  private static VectorAssembler assembler() {
    return new VectorAssembler().setInputCols(new String[] {"f1", "f2"}).setOutputCol("fv");
  }

  private static Dataset<Row> trainingRows(SparkSession spark) {
    return assembler().transform(spark.range(1, 2001).selectExpr(GENERATED));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
