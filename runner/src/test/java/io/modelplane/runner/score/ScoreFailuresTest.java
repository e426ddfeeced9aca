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
import java.util.Optional;
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

  private final RunnerSettings settings =
      ScoringFixture.withMlflow(SharedSpark.hadoopCatalog(), mlflow);
  private final SparkSession spark = SharedSpark.session(settings);
  private final String catalog = settings.catalogName();
  private long targetSnapshot;

  @BeforeAll
  static void registerModel() {
    mlflow = MlflowStandIn.start();
    version =
        ScoringFixture.registerSparkModel(
            mlflow,
            "churn",
            ScoringFixture.fitPipeline(SharedSpark.session(SharedSpark.hadoopCatalog())));
  }

  @AfterAll
  static void stopMlflow() {
    mlflow.close();
  }

  @BeforeEach
  void scoreOnce() {
    ScoringFixture.appendSource(settings, "crm.customers", 1, 200);
    Outcome first =
        score(settings, deployment(null, "overwrite_partition"), "manual__1", day(1), "", null);
    assertThat(first.exitCode()).as(first.err()).isZero();
    targetSnapshot = currentTargetSnapshot();
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
    spark.sql("ALTER TABLE " + catalog + ".crm.customers DROP COLUMN f2");
    assertFails(
        deployment(null, "overwrite_partition"),
        "",
        "source table " + catalog + ".crm.customers has no column f2");
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
    spark.sql("ALTER TABLE " + target() + " DROP COLUMN probability");
    targetSnapshot = currentTargetSnapshot();
    assertFails(
        deployment(null, "overwrite_partition"),
        "",
        "target table " + target() + " does not fit the scored rows: no column probability double");
  }

  @Test
  void scoringThatFailsMidwayWritesNothing() {
    assertFailsStartingWith(
        deployment("assert_true(customer_id < 150) IS NULL", "overwrite_partition"),
        "scoring " + catalog + ".crm.customers failed, nothing was written: ");
  }

  @Test
  void aWriteThatFailsLeavesTheTargetAtItsPreviousSnapshot() {
    ScoringFixture.appendSource(settings, "crm.customers", 1, 10); // ids 1..10 twice
    Outcome merge =
        score(settings, deployment(null, "append_dedup"), "manual__2", day(2), "", null);
    assertThat(merge.exitCode()).isEqualTo(1);
    assertThat(merge.err().strip())
        .startsWith(
            "modelplane-runner: writing target table "
                + target()
                + " failed, the table is unchanged: ")
        .doesNotContain("\n");
    assertThat(currentTargetSnapshot()).isEqualTo(targetSnapshot);
    assertThat(spark.table(target()).count()).isEqualTo(200);
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

  private long currentTargetSnapshot() {
    return new IcebergTables(spark)
        .currentSnapshotId(TableName.parse(target(), catalog))
        .orElseThrow();
  }

  private String target() {
    return catalog + ".scores.churn";
  }

  private String deployment(String filter, String rerunBehavior) {
    return deploymentJson(
        "churn", version, catalog + ".crm.customers", filter, target(), rerunBehavior);
  }

  private static String day(int day) {
    return "2026-01-0" + day + "T00:00:00+00:00";
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
