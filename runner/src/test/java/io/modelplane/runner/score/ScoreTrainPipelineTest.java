package io.modelplane.runner.score;

import static io.modelplane.runner.score.ScoringFixture.deploymentJson;
import static io.modelplane.runner.score.ScoringFixture.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.runner.train.TrainLikePipelines;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline as {@code runner train} writes it (its encoding, then XGBoost4J-Spark's model) is read
 * by the driver straight from the download (docs/runner.md): nothing is staged in the warehouse,
 * and the scores are the pipeline's.
 */
class ScoreTrainPipelineTest {

  private static MlflowStandIn mlflow;
  private static PipelineModel pipeline;
  private static String version;

  private final RunnerSettings settings =
      ScoringFixture.withMlflow(SharedSpark.hadoopCatalog(), mlflow);
  private final SparkSession spark = SharedSpark.session(settings);
  private final String catalog = settings.catalogName();

  @BeforeAll
  static void registerModel() {
    SparkSession spark = SharedSpark.session(SharedSpark.hadoopCatalog());
    mlflow = MlflowStandIn.start();
    pipeline =
        TrainLikePipelines.xgboostClassifier(
            ScoringFixture.rows(spark, 1, 500), ScoringFixture.FEATURES, "label", 10);
    version = ScoringFixture.registerSparkModel(mlflow, "churn-train", pipeline);
  }

  @AfterAll
  static void stopMlflow() {
    mlflow.close();
  }

  @Test
  void trainsPipelineIsReadByTheDriverWithoutStagingAndScoresAsThePipeline() throws Exception {
    ScoringFixture.appendSource(settings, "crm.train_customers", 1, 300);
    String deployment =
        deploymentJson(
            "churn-train",
            version,
            catalog + ".crm.train_customers",
            null,
            catalog + ".scores.train_churn",
            "overwrite_partition");

    Outcome outcome =
        score(settings, deployment, "scheduled__train", ScoreCommandTest.DAY_1, "", null);

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out())
        .contains("scored 300 rows")
        .contains("scored by batch XGBoost (binary:logistic) over the source columns, read from")
        .contains("by the driver");
    Path staging =
        Path.of(
            new org.apache.hadoop.fs.Path(settings.warehouseLocation(), "_modelplane/staging")
                .toUri()
                .getPath());
    if (Files.isDirectory(staging)) {
      try (Stream<Path> staged = Files.list(staging)) {
        assertThat(staged.map(p -> p.getFileName().toString()))
            .noneMatch(name -> name.startsWith("scheduled__train"));
      }
    }
    Map<Integer, double[]> expected = new HashMap<>();
    for (Row row :
        pipeline
            .transform(ScoringFixture.rows(spark, 1, 300))
            .select("customer_id", "prediction", "probability")
            .collectAsList()) {
      expected.put(row.getInt(0), new double[] {row.getDouble(1), ((Vector) row.get(2)).apply(1)});
    }
    List<Row> written =
        spark
            .sql(
                "SELECT customer_id, prediction, probability FROM "
                    + catalog
                    + ".scores.train_churn")
            .collectAsList();
    assertThat(written).hasSize(300);
    for (Row row : written) {
      double[] values = expected.get(row.getInt(0));
      assertThat(row.getDouble(1)).isEqualTo(values[0]);
      assertThat(row.getDouble(2)).isCloseTo(values[1], within(1e-6));
    }
  }
}
