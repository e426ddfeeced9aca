package io.modelplane.runner.score;

import static io.modelplane.runner.score.ScoringFixture.deploymentJson;
import static io.modelplane.runner.score.ScoringFixture.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassificationModel;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassifier;
import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.mlflow.PythonModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Models that Python users log with {@code mlflow.xgboost.log_model} and {@code
 * mlflow.lightgbm.log_model}: the model files are made here by XGBoost4J and SynapseML themselves
 * (the same native libraries as the Python packages) and registered in the stand-in as MLflow's
 * Python API registers them.
 */
class PythonFlavorScoringTest {

  private static final int ROWS = 300;
  private static MlflowStandIn mlflow;

  private final RunnerSettings settings =
      ScoringFixture.withMlflow(SharedSpark.hadoopCatalog(), mlflow);
  private final SparkSession spark = SharedSpark.session(settings);
  private final String catalog = settings.catalogName();

  @BeforeAll
  static void startMlflow() {
    mlflow = MlflowStandIn.start();
  }

  @AfterAll
  static void stopMlflow() {
    mlflow.close();
  }

  @Test
  void xgboostClassifierInJsonAndUbjFilesScoresAsTheBoosterPredicts() throws Exception {
    Booster booster = trainXgboost("binary:logistic");
    float[][] expected = booster.predict(matrix(1, ROWS));
    ScoringFixture.appendSource(settings, "crm.customers", 1, ROWS);

    for (String format : List.of("json", "ubj")) {
      String version =
          mlflow
              .registerPythonModel(
                  PythonModel.xgboost(
                      "xgb-churn", format, booster.toByteArray(format), ScoringFixture.FEATURES))
              .version();
      Outcome outcome =
          score(
              settings,
              deploymentJson(
                  "xgb-churn",
                  version,
                  catalog + ".crm.customers",
                  null,
                  catalog + ".scores.xgb_" + format,
                  "overwrite_partition"),
              "manual__" + format,
              ScoreCommandTest.DAY_1,
              "",
              null);
      assertThat(outcome.exitCode()).as(outcome.err()).isZero();
      assertThat(outcome.out()).contains("xgboost flavor, binary classifier");
      Map<Integer, Row> written = written("scores.xgb_" + format);
      assertThat(written).hasSize(ROWS);
      for (int id = 1; id <= ROWS; id++) {
        double probability = expected[id - 1][0];
        assertThat(written.get(id).getDouble(2)).isCloseTo(probability, within(1e-6));
        assertThat(written.get(id).getDouble(1)).isEqualTo(probability > 0.5 ? 1.0 : 0.0);
      }
    }
  }

  @Test
  void xgboostRegressorPredictsTheBoostersValue() throws Exception {
    Booster booster = trainXgboost("reg:squarederror");
    float[][] expected = booster.predict(matrix(1, ROWS));
    ScoringFixture.appendSource(settings, "crm.customers", 1, ROWS);
    String version =
        mlflow
            .registerPythonModel(
                PythonModel.xgboost(
                    "xgb-spend", "xgb", booster.toByteArray("ubj"), ScoringFixture.FEATURES))
            .version();

    Outcome outcome =
        score(
            settings,
            deploymentJson(
                "xgb-spend",
                version,
                catalog + ".crm.customers",
                "customer_id <= 100",
                catalog + ".scores.spend",
                "append_dedup"),
            "manual__r",
            ScoreCommandTest.DAY_1,
            "",
            null);

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    Map<Integer, Row> written = written("scores.spend");
    assertThat(written).hasSize(100);
    for (int id = 1; id <= 100; id++) {
      assertThat(written.get(id).getDouble(1)).isCloseTo(expected[id - 1][0], within(1e-5));
      assertThat(written.get(id).isNullAt(2)).isTrue();
    }
  }

  @Test
  void lightgbmClassifierInLightgbmsTextFormatScoresAsTheBoosterPredicts() {
    Dataset<Row> training =
        new VectorAssembler()
            .setInputCols(ScoringFixture.FEATURES.toArray(String[]::new))
            .setOutputCol("fv")
            .transform(ScoringFixture.rows(spark, 1, ROWS));
    LightGBMClassifier classifier = new LightGBMClassifier();
    classifier.setFeaturesCol("fv");
    classifier.setLabelCol("label");
    classifier.setNumIterations(10);
    classifier.setNumLeaves(8);
    classifier.setNumThreads(1);
    LightGBMClassificationModel trained = classifier.fit(training.coalesce(1));
    Map<Integer, Double> expected = new HashMap<>();
    for (Row row :
        trained.transform(training).select("customer_id", "probability").collectAsList()) {
      expected.put(row.getInt(0), ((Vector) row.get(1)).apply(1));
    }
    String version =
        mlflow
            .registerPythonModel(
                PythonModel.lightgbm(
                    "lgb-churn",
                    trained.getNativeModel().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    ScoringFixture.FEATURES))
            .version();
    ScoringFixture.appendSource(settings, "crm.customers", 1, ROWS);

    Outcome outcome =
        score(
            settings,
            deploymentJson(
                "lgb-churn",
                version,
                catalog + ".crm.customers",
                null,
                catalog + ".scores.lgb",
                "overwrite_partition"),
            "manual__lgb",
            ScoreCommandTest.DAY_1,
            "",
            null);

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("lightgbm flavor, classifier");
    Map<Integer, Row> written = written("scores.lgb");
    assertThat(written).hasSize(ROWS);
    for (int id = 1; id <= ROWS; id++) {
      assertThat(written.get(id).getDouble(2)).isCloseTo(expected.get(id), within(1e-9));
    }
  }

  private Map<Integer, Row> written(String table) {
    Map<Integer, Row> rows = new HashMap<>();
    for (Row row :
        spark
            .sql("SELECT customer_id, prediction, probability FROM " + catalog + "." + table)
            .collectAsList()) {
      rows.put(row.getInt(0), row);
    }
    return rows;
  }

  private static Booster trainXgboost(String objective) throws Exception {
    DMatrix training = matrix(1, 500);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", objective);
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    return XGBoost.train(training, params, 10, Map.of(), null, null);
  }

  private static DMatrix matrix(int firstId, int count) throws Exception {
    float[] values = new float[count * 2];
    float[] labels = new float[count];
    for (int i = 0; i < count; i++) {
      int id = firstId + i;
      values[2 * i] = (float) ScoringFixture.f1(id);
      values[2 * i + 1] = (float) ScoringFixture.f2(id);
      labels[i] = (float) ScoringFixture.label(id);
    }
    DMatrix matrix = new DMatrix(values, count, 2, Float.NaN);
    matrix.setLabel(labels);
    return matrix;
  }
}
