package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.XGBoost;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.spark.ml.Transformer;
import scala.Option;

/**
 * MLflow's {@code xgboost} flavor: a booster file ({@code model.xgb}, {@code .json} or {@code
 * .ubj}) loaded with XGBoost4J and wrapped in XGBoost4J-Spark's model class. The objective in the
 * booster's own configuration decides classifier or regressor.
 */
final class XgboostFlavor {

  private static final ObjectMapper JSON = new ObjectMapper();

  private XgboostFlavor() {}

  static ScoringModel load(MlflowModelFiles mlmodel, String modelLabel) {
    String path = ModelFormats.modelFile(mlmodel, "xgboost", "xgb_model").toString();
    Booster booster;
    JsonNode learner;
    try {
      booster = XGBoost.loadModel(path);
      learner = JSON.readTree(booster.toByteArray("json")).path("learner");
    } catch (XGBoostError | IOException e) {
      throw new RunnerException(
          modelLabel + " has an XGBoost model file that XGBoost cannot read: " + e.getMessage(), e);
    }
    List<String> features = ModelFormats.featureColumns(mlmodel);
    if (features.isEmpty() && learner.path("feature_names").isArray()) {
      learner.path("feature_names").forEach(name -> features.add(name.asText()));
    }
    if (features.isEmpty()) {
      throw new RunnerException(
          modelLabel + " names no feature columns (no signature, no feature names in the booster)");
    }
    String objective = learner.path("objective").path("name").asText("");
    int numClass = learner.path("learner_model_param").path("num_class").asInt(0);
    String uid = "xgboost_" + UUID.randomUUID().toString().replace("-", "");
    Transformer model;
    String family;
    if (objective.startsWith("binary:logistic") || objective.startsWith("binary:logitraw")) {
      model =
          new XGBoostClassificationModel(uid, 2, booster, Option.empty())
              .setFeaturesCol(BoosterScoringModel.FEATURES);
      family = "binary classifier";
    } else if (objective.startsWith("multi:")) {
      model =
          new XGBoostClassificationModel(uid, Math.max(numClass, 2), booster, Option.empty())
              .setFeaturesCol(BoosterScoringModel.FEATURES);
      family = numClass + "-class classifier";
    } else {
      model =
          new XGBoostRegressionModel(uid, booster, Option.empty())
              .setFeaturesCol(BoosterScoringModel.FEATURES);
      family = "regressor";
    }
    return new BoosterScoringModel(
        model,
        features,
        "xgboost flavor, "
            + family
            + " ("
            + objective
            + ") over "
            + Arrays.toString(features.toArray()));
  }
}
