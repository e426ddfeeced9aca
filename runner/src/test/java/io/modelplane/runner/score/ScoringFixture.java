package io.modelplane.runner.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.mlflow.MlflowRecords.RunInfo;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Generated source tables, models registered in the MLflow stand-in the way {@code runner train}
 * and Python users register them, and the deployment JSON the server renders into the DAG.
 */
final class ScoringFixture {

  static final List<String> FEATURES = List.of("f1", "f2");
  static final StructType SOURCE_SCHEMA =
      new StructType()
          .add("customer_id", DataTypes.IntegerType, false)
          .add("region", DataTypes.StringType)
          .add("f1", DataTypes.DoubleType)
          .add("f2", DataTypes.DoubleType)
          .add("label", DataTypes.DoubleType);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScoringFixture() {}

  static double f1(int id) {
    return (id % 97) / 10.0;
  }

  static double f2(int id) {
    return ((id * 7) % 31) / 3.0;
  }

  static double label(int id) {
    return f1(id) + 0.5 * f2(id) > 7.5 ? 1.0 : 0.0;
  }

  /** Rows with ids firstId .. firstId+count-1; even ids are in region EU, odd ones in US. */
  static Dataset<Row> rows(SparkSession spark, int firstId, int count) {
    List<Row> rows = new ArrayList<>();
    for (int id = firstId; id < firstId + count; id++) {
      rows.add(RowFactory.create(id, id % 2 == 0 ? "EU" : "US", f1(id), f2(id), label(id)));
    }
    return spark.createDataFrame(rows, SOURCE_SCHEMA);
  }

  /** Appends generated rows to a table (created when absent); returns the new snapshot id. */
  static long appendSource(RunnerSettings settings, String table, int firstId, int count) {
    SparkSession spark = SharedSpark.session(settings);
    String name = settings.catalogName() + "." + table;
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + name.substring(0, name.lastIndexOf('.')));
    try {
      if (spark.catalog().tableExists(name)) {
        rows(spark, firstId, count).writeTo(name).append();
      } else {
        rows(spark, firstId, count).writeTo(name).using("iceberg").create();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return spark
        .sql("SELECT snapshot_id FROM " + name + ".snapshots ORDER BY committed_at DESC LIMIT 1")
        .first()
        .getLong(0);
  }

  private static PipelineModel pipeline;

  /** A logistic regression pipeline fitted on generated rows (once per test JVM). */
  static synchronized PipelineModel fitPipeline(SparkSession spark) {
    if (pipeline == null) {
      pipeline = fit(spark);
    }
    return pipeline;
  }

  private static PipelineModel fit(SparkSession spark) {
    VectorAssembler assembler =
        new VectorAssembler().setInputCols(FEATURES.toArray(String[]::new)).setOutputCol("fv");
    LogisticRegression regression =
        new LogisticRegression().setFeaturesCol("fv").setLabelCol("label").setMaxIter(10);
    return new Pipeline()
        .setStages(new PipelineStage[] {assembler, regression})
        .fit(rows(spark, 1, 500));
  }

  /**
   * Logs the pipeline as {@code runner train} does (docs/runner-model-format.md: MLflow's spark
   * flavor under {@code model/}) and registers a new version; returns the version.
   */
  static String registerSparkModel(MlflowStandIn mlflow, String modelName, PipelineModel model) {
    MlflowClient client = MlflowClient.builder(mlflow.url()).build();
    Path folder = SharedSpark.newFolder("spark-model-");
    try {
      model.write().overwrite().save(folder.resolve("sparkml").toString());
      Files.writeString(
          folder.resolve("MLmodel"),
          "artifact_path: model\n"
              + "flavors:\n"
              + "  python_function:\n"
              + "    data: sparkml\n"
              + "    loader_module: mlflow.spark\n"
              + "    python_version: '3.11'\n"
              + "  spark:\n"
              + "    model_class: pyspark.ml.pipeline.PipelineModel\n"
              + "    model_data: sparkml\n"
              + "    pyspark_version: 3.5.6\n"
              + "metadata:\n"
              + "  modelplane_algorithm: logistic_regression\n"
              + "  modelplane_feature_columns:\n"
              + "  - f1\n"
              + "  - f2\n"
              + "  modelplane_label_column: label\n"
              + "  modelplane_problem_type: binary_classification\n"
              + "mlflow_version: 2.16.0\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return register(client, modelName, folder);
  }

  /** Uploads a model folder as a run's {@code model/} and registers a version of it. */
  static String register(MlflowClient client, String modelName, Path modelFolder) {
    String experiment = client.getOrCreateExperiment("modelplane-tests");
    RunInfo run = client.createRun(experiment, "train", System.currentTimeMillis(), Map.of());
    String source = run.artifactUri() + "/model";
    client.uploadArtifacts(source, modelFolder);
    client.getOrCreateRegisteredModel(modelName);
    return client.createModelVersion(modelName, source, run.runId()).version();
  }

  /** The deployment JSON as the server renders it (DeploymentService#withRenderedDag). */
  static String deploymentJson(
      String modelName,
      String version,
      String sourceTable,
      String filterSql,
      String targetTable,
      String rerunBehavior) {
    String[] source = sourceTable.split("\\.");
    String[] target = targetTable.split("\\.");
    Map<String, Object> sourceMap = new LinkedHashMap<>();
    sourceMap.put("catalog", source[0]);
    sourceMap.put("schema", source[1]);
    sourceMap.put("table", source[2]);
    sourceMap.put("table_sql", "`" + String.join("`.`", source) + "`");
    sourceMap.put("filter_sql", filterSql);
    sourceMap.put("snapshot_id", null);
    Map<String, Object> targetMap = new LinkedHashMap<>();
    targetMap.put("catalog", target[0]);
    targetMap.put("schema", target[1]);
    targetMap.put("table", target[2]);
    targetMap.put("table_sql", "`" + String.join("`.`", target) + "`");
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("deployment_id", "00000000-0000-0000-0000-000000000001");
    deployment.put("model_name", modelName);
    deployment.put("name", "nightly");
    deployment.put("model_version", version);
    deployment.put("model_alias", null);
    deployment.put("model_uri", "models:/" + modelName + "/" + version);
    deployment.put("source", sourceMap);
    deployment.put("target", targetMap);
    deployment.put("entity_columns", List.of("customer_id"));
    deployment.put("rerun_behavior", rerunBehavior);
    deployment.put("partition_column", "scored_at");
    try {
      return JSON.writeValueAsString(deployment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code score} in this JVM as the DAG runs it, with no run tags ({@code {}}). */
  static Outcome score(
      RunnerSettings settings,
      String deploymentJson,
      String runId,
      String logicalDate,
      String snapshotId,
      Path resultFile) {
    return score(settings, deploymentJson, runId, logicalDate, snapshotId, resultFile, "{}");
  }

  /** Runs {@code score} in this JVM as the DAG runs it, with the run's tags as JSON. */
  static Outcome score(
      RunnerSettings settings,
      String deploymentJson,
      String runId,
      String logicalDate,
      String snapshotId,
      Path resultFile,
      String runTagsJson) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "score",
                "--deployment-json",
                deploymentJson,
                "--snapshot-id",
                snapshotId,
                "--run-id",
                runId,
                "--run-tags-json",
                runTagsJson,
                "--logical-date",
                logicalDate));
    if (resultFile != null) {
      args.add("--result-file");
      args.add(resultFile.toString());
    }
    return SharedSpark.run(settings, args.toArray(String[]::new));
  }

  /** Settings of a catalog with MLflow at the stand-in. */
  static RunnerSettings withMlflow(RunnerSettings settings, MlflowStandIn mlflow) {
    return new RunnerSettings(
        settings.catalogName(),
        settings.catalogType(),
        settings.warehouse(),
        settings.catalogUri(),
        settings.jdbcUser(),
        settings.jdbcPassword(),
        settings.sparkMaster(),
        settings.s3(),
        new RunnerSettings.MlflowSettings(
            java.util.Optional.of(mlflow.url()),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty()));
  }
}
