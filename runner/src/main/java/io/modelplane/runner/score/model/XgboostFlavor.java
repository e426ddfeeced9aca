package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.XGBoost;

/**
 * MLflow's {@code xgboost} flavor: a booster file ({@code model.xgb}, {@code .json} or {@code
 * .ubj}) loaded with XGBoost4J and predicted in batches per partition ({@link XgboostBatchModel}).
 * The objective in the booster's own configuration decides classifier or regressor.
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
    XgboostBatchModel.Output output = XgboostBatchModel.Output.forObjective(objective);
    String family =
        switch (output) {
          case BINARY_PROBABILITY, BINARY_MARGIN -> "binary classifier";
          case MULTI_PROBABILITIES, MULTI_MARGINS -> numClass + "-class classifier";
          case VALUE -> "regressor";
        };
    byte[] bytes;
    try {
      bytes = booster.toByteArray("ubj");
    } catch (XGBoostError e) {
      throw new RunnerException(modelLabel + ": XGBoost cannot save the booster: " + e, e);
    }
    return new BatchScoringModel(
        context -> XgboostBatchModel.loader(context.broadcast(bytes), output),
        features,
        "xgboost flavor, "
            + family
            + " ("
            + objective
            + ") over "
            + Arrays.toString(features.toArray()));
  }
}
