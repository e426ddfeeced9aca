package io.modelplane.runner.score;

import static io.modelplane.runner.score.ScoringFixture.deploymentJson;
import static io.modelplane.runner.score.ScoringFixture.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScoreCommandTest {

  static final String DAY_1 = "2026-01-01T00:00:00+00:00";
  static final String DAY_2 = "2026-01-02T00:00:00+00:00";

  private static MlflowStandIn mlflow;
  private static PipelineModel pipeline;
  private static String version;

  private final RunnerSettings settings =
      ScoringFixture.withMlflow(SharedSpark.hadoopCatalog(), mlflow);
  private final SparkSession spark = SharedSpark.session(settings);
  private final String catalog = settings.catalogName();
  private final Path folder = SharedSpark.newFolder("score-");

  @BeforeAll
  static void registerModel() {
    mlflow = MlflowStandIn.start();
    pipeline = ScoringFixture.fitPipeline(SharedSpark.session(SharedSpark.hadoopCatalog()));
    version = ScoringFixture.registerSparkModel(mlflow, "churn", pipeline);
  }

  @AfterAll
  static void stopMlflow() {
    mlflow.close();
  }

  @Test
  void overwritePartitionRerunOfTheSameRunReplacesItsPartitionOnly() throws IOException {
    ScoringFixture.appendSource(settings, "crm.customers", 1, 400);
    String deployment =
        deploymentJson(
            "churn",
            version,
            catalog + ".crm.customers",
            "region = 'EU'",
            catalog + ".scores.churn",
            "overwrite_partition");
    Path result = folder.resolve("result.json");

    Outcome first =
        score(
            settings,
            deployment,
            "scheduled__day1",
            DAY_1,
            "",
            result,
            "{\"reason\": \"backfill\", \"ticket\": \"OPS-1\"}");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(Files.readString(result)).isEqualToIgnoringWhitespace("{\"rows_scored\": 200}");
    assertThat(count("scores.churn")).isEqualTo(200);
    assertModelWasStagedInTheWarehouseAndRemoved(first.out(), "scheduled__day1");
    assertThat(latestSummary("scores.churn"))
        .containsEntry("modelplane.airflow-run-id", "scheduled__day1")
        .containsEntry("modelplane.run-tag.reason", "backfill")
        .containsEntry("modelplane.run-tag.ticket", "OPS-1");
    // The created target's write properties (docs/runner.md, the target): no shuffle by
    // partition, Iceberg's Parquet defaults (zstd, 2 MiB dictionaries; docs/benchmarks.md).
    assertThat(tableProperties("scores.churn"))
        .containsEntry("write.distribution-mode", "none")
        .containsEntry("write.parquet.compression-codec", "zstd")
        .doesNotContainKey("write.parquet.dict-size-bytes");

    ScoringFixture.appendSource(settings, "crm.customers", 401, 100);
    Outcome rerun = score(settings, deployment, "scheduled__day1", DAY_1, "", result);
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(latestSummary("scores.churn"))
        .containsEntry("modelplane.airflow-run-id", "scheduled__day1")
        .doesNotContainKey("modelplane.run-tag.reason");
    assertThat(Files.readString(result)).isEqualToIgnoringWhitespace("{\"rows_scored\": 250}");
    assertThat(countByRun("scores.churn"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("scheduled__day1", 250L));

    Outcome other = score(settings, deployment, "scheduled__day2", DAY_2, "", result);
    assertThat(other.exitCode()).as(other.err()).isZero();
    assertThat(countByRun("scores.churn"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("scheduled__day1", 250L, "scheduled__day2", 250L));
    assertThat(
            spark
                .sql(
                    "SELECT DISTINCT airflow_run_id, CAST(scored_at AS STRING) FROM "
                        + catalog
                        + ".scores.churn ORDER BY 1")
                .collectAsList()
                .stream()
                .map(row -> row.getString(0) + "@" + row.getString(1))
                .toList())
        .containsExactly(
            "scheduled__day1@2026-01-01 00:00:00", "scheduled__day2@2026-01-02 00:00:00");
    assertThat(spark.sql("SELECT count(*) FROM " + catalog + ".scores.churn.partitions").first())
        .isEqualTo(org.apache.spark.sql.RowFactory.create(2L));
    assertPredictionsOfThePipeline("scores.churn", "scheduled__day2");
  }

  @Test
  void appendDedupRerunAddsNoDuplicatesAndAnotherVersionAddsItsOwnRows() throws IOException {
    ScoringFixture.appendSource(settings, "crm.customers", 1, 300);
    String deployment =
        deploymentJson(
            "churn",
            version,
            catalog + ".crm.customers",
            null,
            catalog + ".scores.dedup",
            "append_dedup");

    for (String run : List.of("manual__a", "manual__a", "manual__b")) {
      Outcome outcome =
          score(settings, deployment, run, DAY_1, "", null, "{\"requested_by\": \"" + run + "\"}");
      assertThat(outcome.exitCode()).as(outcome.err()).isZero();
      assertThat(outcome.out()).startsWith("scored 300 rows of " + catalog + ".crm.customers");
    }
    assertThat(countByRun("scores.dedup"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("manual__b", 300L));
    assertThat(latestSummary("scores.dedup"))
        .containsEntry("modelplane.airflow-run-id", "manual__b")
        .containsEntry("modelplane.run-tag.requested_by", "manual__b");
    assertPredictionsOfThePipeline("scores.dedup", "manual__b");

    String second = ScoringFixture.registerSparkModel(mlflow, "churn", pipeline);
    String deploymentV2 =
        deploymentJson(
            "churn",
            second,
            catalog + ".crm.customers",
            null,
            catalog + ".scores.dedup",
            "append_dedup");
    Outcome v2 = score(settings, deploymentV2, "manual__c", DAY_2, "", null);
    assertThat(v2.exitCode()).as(v2.err()).isZero();
    assertThat(
            spark
                .sql(
                    "SELECT model_version, count(*), count(DISTINCT customer_id) FROM "
                        + catalog
                        + ".scores.dedup GROUP BY model_version ORDER BY 1")
                .collectAsList()
                .stream()
                .map(row -> row.getString(0) + ":" + row.getLong(1) + ":" + row.getLong(2))
                .toList())
        .containsExactly(version + ":300:300", second + ":300:300");
  }

  @Test
  void timeTravelToAnOlderSnapshotScoresTheOlderRows() {
    long older = ScoringFixture.appendSource(settings, "crm.history", 1, 120);
    ScoringFixture.appendSource(settings, "crm.history", 121, 80);
    String deployment =
        deploymentJson(
            "churn",
            version,
            catalog + ".crm.history",
            null,
            catalog + ".scores.history",
            "overwrite_partition");

    Outcome outcome =
        score(settings, deployment, "manual__old", DAY_1, String.valueOf(older), null);

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("at snapshot " + older);
    assertThat(
            spark
                .sql(
                    "SELECT min(customer_id), max(customer_id), count(*) FROM "
                        + catalog
                        + ".scores.history")
                .first())
        .isEqualTo(org.apache.spark.sql.RowFactory.create(1, 120, 120L));
  }

  private long count(String table) {
    return spark.table(catalog + "." + table).count();
  }

  private Map<String, Long> countByRun(String table) {
    Map<String, Long> counts = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT airflow_run_id, count(*) FROM "
                    + catalog
                    + "."
                    + table
                    + " GROUP BY airflow_run_id")
            .collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  /** Every row of the run holds the pipeline's own prediction and positive-class probability. */
  /**
   * The pipeline was loaded from a copy below {@code <warehouse>/_modelplane/staging/} (where a
   * cluster's executors can read it; the scorer names the location it loaded), and that copy is
   * gone after the write.
   */
  private void assertModelWasStagedInTheWarehouseAndRemoved(String out, String runId) {
    Matcher loaded = Pattern.compile("read from (\\S+)\\)").matcher(out);
    assertThat(loaded.find()).as(out).isTrue();
    String staging =
        new org.apache.hadoop.fs.Path(settings.warehouseLocation() + "/_modelplane/staging") + "/";
    assertThat(loaded.group(1)).startsWith(staging + runId + "-").endsWith("/sparkml");
    Path stagingFolder = Path.of(java.net.URI.create(staging));
    assertThat(stagingFolder).isDirectory();
    assertThat(stagingFolder.toFile().list()).isEmpty();
  }

  /** The table's properties ({@code SHOW TBLPROPERTIES}). */
  private Map<String, String> tableProperties(String table) {
    Map<String, String> properties = new HashMap<>();
    for (Row row : spark.sql("SHOW TBLPROPERTIES " + catalog + "." + table).collectAsList()) {
      properties.put(row.getString(0), row.getString(1));
    }
    return properties;
  }

  /** The snapshot summary of the table's latest commit. */
  private Map<String, String> latestSummary(String table) {
    return spark
        .sql(
            "SELECT summary FROM "
                + catalog
                + "."
                + table
                + ".snapshots ORDER BY committed_at DESC LIMIT 1")
        .first()
        .getJavaMap(0);
  }

  private void assertPredictionsOfThePipeline(String table, String runId) {
    Map<Integer, double[]> expected = new HashMap<>();
    for (Row row :
        pipeline
            .transform(ScoringFixture.rows(spark, 1, 600))
            .select("customer_id", "prediction", "probability")
            .collectAsList()) {
      expected.put(row.getInt(0), new double[] {row.getDouble(1), ((Vector) row.get(2)).apply(1)});
    }
    List<Row> written =
        spark
            .sql(
                "SELECT customer_id, prediction, probability, model_name, model_version FROM "
                    + catalog
                    + "."
                    + table
                    + " WHERE airflow_run_id = '"
                    + runId
                    + "'")
            .collectAsList();
    assertThat(written).isNotEmpty();
    for (Row row : written) {
      double[] values = expected.get(row.getInt(0));
      assertThat(row.getDouble(1)).isEqualTo(values[0]);
      assertThat(row.getDouble(2)).isCloseTo(values[1], within(1e-12));
      assertThat(row.getString(3)).isEqualTo("churn");
    }
  }
}
