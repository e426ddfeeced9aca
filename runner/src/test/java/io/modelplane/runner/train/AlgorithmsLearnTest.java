package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.score.model.SavedPipelines;
import io.modelplane.runner.score.model.SparkPipelineScoringModel;
import io.modelplane.runner.spark.RunnerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every supported algorithm on every problem type it fits, with the {@code fast} preset, on data
 * whose answer is known; each must beat a trivial baseline by the margin stated in its test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlgorithmsLearnTest {

  private final RunnerSettings settings = SharedSpark.hadoopCatalog();
  private final SparkSession spark = SharedSpark.session(settings);
  private final KnownAnswerTables tables = new KnownAnswerTables(settings);

  @BeforeAll
  void tables() {
    tables.binary("known.binary", 1500);
    tables.multiclass("known.multiclass", 1500);
    tables.regression("known.regression", 1500);
    tables.ranking("known.ranking", 150);
    tables.outliers("known.outliers", 1500);
    tables.sparse("known.sparse", 600);
  }

  /** The assembler writes sparse vectors here; XGBoost reads the encoded columns instead. */
  @Test
  void xgboostLearnsFromMostlyZeroFeatures() {
    TrainedModel model =
        train("known.sparse", "binary_classification", "xgboost_classifier", "y", null);
    assertThat(model.validationMetrics().get("auc")).isGreaterThanOrEqualTo(0.99);
  }

  /** Baseline AUC 0.5 (a constant score); the margin: AUC at least 0.9. */
  @ParameterizedTest
  @ValueSource(strings = {"xgboost_classifier", "lightgbm_classifier"})
  void binaryClassifiersSeparateTheClasses(String algorithm) {
    TrainedModel model = train("known.binary", "binary_classification", algorithm, "y", null);
    assertThat(model.validationMetrics().get("auc")).isGreaterThanOrEqualTo(0.9);
    assertThat(model.validationMetrics().get("log_loss")).isLessThan(0.5);
  }

  /** Baseline accuracy about 0.34 (the majority class); the margin: accuracy and macro F1 ≥ 0.8. */
  @ParameterizedTest
  @ValueSource(strings = {"xgboost_classifier", "lightgbm_classifier"})
  void multiclassClassifiersFindTheThreeRegions(String algorithm) {
    TrainedModel model =
        train("known.multiclass", "multiclass_classification", algorithm, "kind", null);
    assertThat(model.validationMetrics().get("accuracy")).isGreaterThanOrEqualTo(0.8);
    assertThat(model.validationMetrics().get("macro_f1")).isGreaterThanOrEqualTo(0.8);
  }

  /** Baseline RMSE about 3.6 (predicting the mean); the margin: RMSE under 1.0 and R² ≥ 0.9. */
  @ParameterizedTest
  @ValueSource(strings = {"xgboost_regressor", "lightgbm_regressor"})
  void regressorsRecoverTheLinearTrend(String algorithm) {
    TrainedModel model = train("known.regression", "regression", algorithm, "y", null);
    assertThat(model.validationMetrics().get("rmse")).isLessThan(1.0);
    assertThat(model.validationMetrics().get("mae")).isLessThan(0.8);
    assertThat(model.validationMetrics().get("r2")).isGreaterThanOrEqualTo(0.9);
  }

  /** Baseline: NDCG@10 of a random order on the same validation rows; the margin: +0.2. */
  @ParameterizedTest
  @ValueSource(strings = {"xgboost_ranker", "lightgbm_ranker"})
  void rankersOrderByRelevance(String algorithm) {
    TrainedModel model = train("known.ranking", "ranking", algorithm, "relevance", "query");
    TrainingData data = load("known.ranking", "ranking", algorithm, "relevance", "query");
    double random =
        new NdcgEvaluator(10).evaluate(data.validation().withColumn("prediction", rand(7)));
    assertThat(model.validationMetrics().get("ndcg_at_10")).isGreaterThanOrEqualTo(random + 0.2);
  }

  /** Baseline AUC 0.5; the margin: AUC ≥ 0.95, and the contamination found near the planted 3%. */
  @Test
  void isolationForestFindsThePlantedOutliers() {
    TrainedModel model =
        train("known.outliers", "anomaly_detection", "isolation_forest", "is_outlier", null);
    assertThat(model.validationMetrics().get("auc")).isGreaterThanOrEqualTo(0.95);
    assertThat(model.validationMetrics().get("contamination")).isBetween(0.005, 0.08);
  }

  @Test
  void isolationForestWithoutALabelReportsTheContaminationOnly() {
    TrainedModel model =
        train("known.outliers", "anomaly_detection", "isolation_forest", null, null);
    assertThat(model.validationMetrics()).containsOnlyKeys("contamination");
    assertThat(model.trials()).hasSize(1);
  }

  private TrainedModel train(
      String table, String problem, String algorithm, String label, String group) {
    TrainingJob job = job(table, problem, algorithm, label, group);
    TrainingData data = load(table, problem, algorithm, label, group);
    TrainedModel model;
    try {
      model = Trainer.train(job, Algorithm.supported(algorithm, job.problemType()), data, 2);
    } finally {
      data.release();
    }
    assertTheScorerPredictsAsThePipeline(model, table, algorithm);
    return model;
  }

  /**
   * The scorer predicts a trained XGBoost or LightGBM pipeline in batches from the source columns
   * (SparkPipelineScoringModel); it must give what Spark's transform of the whole pipeline gives,
   * also for missing values (null, NaN) and a string value the indexer never saw.
   */
  private void assertTheScorerPredictsAsThePipeline(
      TrainedModel model, String table, String algorithm) {
    Dataset<Row> source = spark.table(settings.catalogName() + "." + table);
    List<Column> edited = new ArrayList<>();
    for (StructField field : source.schema().fields()) {
      Column column = col(field.name());
      if (field.dataType() == DataTypes.DoubleType) {
        column =
            when(col("__row").mod(3).equalTo(0), lit(null).cast(DataTypes.DoubleType))
                .when(col("__row").mod(3).equalTo(1), lit(Double.NaN))
                .otherwise(column);
      } else if (field.dataType() == DataTypes.StringType) {
        column = when(col("__row").mod(2).equalTo(0), lit("never-seen")).otherwise(lit(null));
      }
      edited.add(column.as(field.name()));
    }
    edited.add(col("__row"));
    Dataset<Row> numbered = source.withColumn("__row", monotonically_increasing_id());
    Dataset<Row> rows =
        spark.createDataFrame(
            numbered
                .unionByName(numbered.limit(30).select(edited.toArray(Column[]::new)))
                .withColumn("__row", monotonically_increasing_id())
                .collectAsList(),
            numbered.schema());
    SparkPipelineScoringModel scoring = SparkPipelineScoringModel.of(model.pipeline(), List.of());
    Optional<SparkPipelineScoringModel> readDirectly =
        SavedPipelines.readDirectlyAsLoaded(this.spark, model.pipeline());
    if (algorithm.equals("isolation_forest")) {
      assertThat(scoring.scoring()).isEqualTo("Spark transform");
      assertThat(readDirectly).isEmpty();
      return;
    }
    assertThat(scoring.scoring()).startsWith("batch").endsWith("over the source columns");
    assertThat(readDirectly).isPresent();
    List<Row> spark = scoring.scoreWithPipeline(rows).orderBy("__row").collectAsList();
    assertSameScores(scoring.score(rows).orderBy("__row").collectAsList(), spark);
    assertSameScores(readDirectly.get().score(rows).orderBy("__row").collectAsList(), spark);
  }

  /** The batch scores equal Spark's: prediction exactly, probability to 1e-6. */
  private static void assertSameScores(List<Row> batch, List<Row> spark) {
    assertThat(batch).hasSameSizeAs(spark).hasSizeGreaterThan(30);
    for (int i = 0; i < batch.size(); i++) {
      Row expected = spark.get(i);
      Row actual = batch.get(i);
      assertThat(actual.<Double>getAs("prediction"))
          .as("prediction of row %s", expected)
          .isEqualTo(expected.<Double>getAs("prediction"));
      Double probability = expected.getAs("probability");
      if (probability == null) {
        assertThat(actual.<Double>getAs("probability")).isNull();
      } else {
        assertThat(actual.<Double>getAs("probability"))
            .as("probability of row %s", expected)
            .isCloseTo(probability, within(1e-6));
      }
    }
  }

  private TrainingData load(
      String table, String problem, String algorithm, String label, String group) {
    return TrainingData.load(
        new IcebergTables(spark),
        TableName.parse(table, settings.catalogName()),
        job(table, problem, algorithm, label, group));
  }

  static TrainingJob job(
      String table, String problem, String algorithm, String label, String group) {
    return TrainingJobs.json(table, problem, algorithm, "fast", label, group);
  }
}
