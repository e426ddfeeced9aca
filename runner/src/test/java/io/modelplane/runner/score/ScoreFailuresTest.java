package io.modelplane.runner.score;

import static io.modelplane.runner.score.ScoringFixture.deploymentJson;
import static io.modelplane.runner.score.ScoringFixture.score;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input: exit 1, one line on stderr naming the thing, and the target as it was. */
class ScoreFailuresTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static MlflowStandIn mlflow;
  private static String version;
  private static RunnerSettings settings;
  private static SparkSession spark;
  private static String catalog;
  private static long targetSnapshot;

  /** One source and one scored target for the class; tests that change a table use their own. */
  @BeforeAll
  static void scoreOnce() {
    mlflow = MlflowStandIn.start();
    settings = ScoringFixture.withMlflow(SharedSpark.hadoopCatalog(), mlflow);
    spark = SharedSpark.session(settings);
    catalog = settings.catalogName();
    version = ScoringFixture.registerSparkModel(mlflow, "churn", ScoringFixture.fitPipeline(spark));
    ScoringFixture.appendSource(settings, "crm.customers", 1, 200);
    Outcome first =
        score(settings, deployment(null, "overwrite_partition"), "manual__1", day(1), "", null);
    assertThat(first.exitCode()).as(first.err()).isZero();
  }

  @BeforeEach
  void rememberTheTargetSnapshot() {
    targetSnapshot = currentTargetSnapshot();
  }

  @AfterAll
  static void stopMlflow() {
    mlflow.close();
  }

  @Test
  void unknownSourceTable() {
    String json =
        deploymentJson(
            "churn", version, catalog + ".crm.nope", null, target(), "overwrite_partition");
    assertFails(json, "", "table " + catalog + ".crm.nope does not exist");
  }

  @Test
  void unknownEntityColumn() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(deployment(null, "overwrite_partition"));
    json.putArray("entity_columns").add("account_id");
    assertFails(
        json.toString(), "", "source table " + catalog + ".crm.customers has no column account_id");
  }

  @Test
  void droppedFeatureColumn() {
    ScoringFixture.appendSource(settings, "crm.without_f2", 1, 20);
    spark.sql("ALTER TABLE " + catalog + ".crm.without_f2 DROP COLUMN f2");
    assertFails(
        deploymentJson(
            "churn", version, catalog + ".crm.without_f2", null, target(), "overwrite_partition"),
        "",
        "source table " + catalog + ".crm.without_f2 has no column f2");
  }

  @Test
  void filterThatDoesNotParse() {
    assertFailsStartingWith(
        deployment("region = = 'EU'", "overwrite_partition"),
        "filter_sql does not parse as one SQL expression: ");
    assertFailsStartingWith(
        deployment("region = 'EU'; DROP TABLE x", "overwrite_partition"),
        "filter_sql does not parse as one SQL expression: ");
  }

  @Test
  void filterWithASubqueryOrThatIsNotABooleanOverTheSource() {
    assertFails(
        deployment("customer_id IN (SELECT customer_id FROM x.y.z)", "overwrite_partition"),
        "",
        "filter_sql must not contain a subquery");
    assertFails(
        deployment("EXISTS (SELECT 1)", "overwrite_partition"),
        "",
        "filter_sql must not contain a subquery");
    assertFailsStartingWith(
        deployment("customer_id + 1", "overwrite_partition"),
        "filter_sql cannot be applied to " + catalog + ".crm.customers: ");
    assertFailsStartingWith(
        deployment("no_such_column = 1", "overwrite_partition"),
        "filter_sql cannot be applied to " + catalog + ".crm.customers: ");
  }

  @Test
  void unknownSnapshot() {
    assertFails(
        deployment(null, "overwrite_partition"),
        "42",
        "table " + catalog + ".crm.customers has no snapshot 42");
  }

  @Test
  void modelVersionNotFound() {
    String json =
        deploymentJson(
            "churn", "99", catalog + ".crm.customers", null, target(), "overwrite_partition");
    assertFails(json, "", "model 'churn' version 99 does not exist in MLflow");
  }

  @Test
  void modelInAnUnsupportedFormat() throws Exception {
    Path folder = SharedSpark.newFolder("sklearn-");
    Files.writeString(
        folder.resolve("MLmodel"),
        "artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n"
            + "  sklearn:\n    pickled_model: model.pkl\n    sklearn_version: 1.5.1\n");
    Files.write(folder.resolve("model.pkl"), new byte[] {(byte) 0x80, 4});
    String sklearn =
        ScoringFixture.register(MlflowClient.builder(mlflow.url()).build(), "skl", folder);
    String json =
        deploymentJson(
            "skl", sklearn, catalog + ".crm.customers", null, target(), "overwrite_partition");
    assertFails(
        json,
        "",
        "model 'skl' version "
            + sklearn
            + " is in an unsupported format: flavors [python_function, sklearn], supported"
            + " [spark, xgboost, lightgbm]");
  }

  @Test
  void targetWhoseSchemaDoesNotFit() {
    String narrow = catalog + ".scores.narrow";
    spark.sql(
        "CREATE TABLE "
            + narrow
            + " (customer_id INT, prediction STRING, scored_at TIMESTAMP) USING iceberg"
            + " PARTITIONED BY (scored_at)");
    assertFails(
        deploymentJson(
            "churn", version, catalog + ".crm.customers", null, narrow, "overwrite_partition"),
        "",
        "target table "
            + narrow
            + " does not fit the scored rows: column prediction is string, the scorer writes"
            + " double; no column probability double; no column model_name string; no column"
            + " model_version string; no column airflow_run_id string");
    assertThat(spark.table(narrow).count()).isZero();
  }

  @Test
  void scoringThatFailsMidwayWritesNothing() {
    // overwrite_partition scores while writing: the commit never happens
    assertFailsStartingWith(
        deployment("assert_true(customer_id < 150) IS NULL", "overwrite_partition"),
        "writing target table " + target() + " failed, the table is unchanged: ");
    // append_dedup scores before merging
    assertFailsStartingWith(
        deployment("assert_true(customer_id < 150) IS NULL", "append_dedup"),
        "scoring " + catalog + ".crm.customers failed, nothing was written: ");
  }

  @Test
  void aWriteThatFailsLeavesTheTargetAtItsPreviousSnapshot() {
    ScoringFixture.appendSource(settings, "crm.twice", 1, 30);
    ScoringFixture.appendSource(settings, "crm.twice", 1, 10); // ids 1..10 twice
    String merged = catalog + ".scores.merged";
    String json =
        deploymentJson("churn", version, catalog + ".crm.twice", null, merged, "append_dedup");
    Outcome first = score(settings, json, "manual__1", day(1), "", null);
    assertThat(first.exitCode()).as(first.err()).isZero();
    long before = snapshotOf(merged);

    Outcome merge =
        score(
            settings,
            deploymentJson("churn", version, catalog + ".crm.twice", null, merged, "append_dedup"),
            "manual__2",
            day(2),
            "",
            null);

    assertThat(merge.exitCode()).isEqualTo(1);
    assertThat(merge.err().strip())
        .startsWith(
            "modelplane-runner: writing target table "
                + merged
                + " failed, the table is unchanged: ")
        .doesNotContain("\n");
    assertThat(snapshotOf(merged)).isEqualTo(before);
    assertThat(spark.table(merged).count()).isEqualTo(40);
  }

  private void assertFails(String deploymentJson, String snapshotId, String reason) {
    Path result = SharedSpark.newFolder("result-").resolve("result.json");
    Outcome outcome = score(settings, deploymentJson, "manual__2", day(2), snapshotId, result);
    assertThat(outcome.exitCode()).as(outcome.out()).isEqualTo(1);
    assertThat(outcome.err().strip()).isEqualTo("modelplane-runner: " + reason);
    assertThat(result).doesNotExist();
    assertThat(currentTargetSnapshot()).isEqualTo(targetSnapshot);
  }

  private void assertFailsStartingWith(String deploymentJson, String reasonStart) {
    Outcome outcome = score(settings, deploymentJson, "manual__2", day(2), "", null);
    assertThat(outcome.exitCode()).as(outcome.out()).isEqualTo(1);
    assertThat(outcome.err().strip())
        .startsWith("modelplane-runner: " + reasonStart)
        .doesNotContain("\n");
    assertThat(currentTargetSnapshot()).isEqualTo(targetSnapshot);
  }

  private static long currentTargetSnapshot() {
    return snapshotOf(target());
  }

  private static long snapshotOf(String table) {
    return new IcebergTables(spark)
        .currentSnapshotId(TableName.parse(table, catalog))
        .orElseThrow();
  }

  private static String target() {
    return catalog + ".scores.churn";
  }

  private static String deployment(String filter, String rerunBehavior) {
    return deploymentJson(
        "churn", version, catalog + ".crm.customers", filter, target(), rerunBehavior);
  }

  private static String day(int day) {
    return "2026-01-0" + day + "T00:00:00+00:00";
  }
}
