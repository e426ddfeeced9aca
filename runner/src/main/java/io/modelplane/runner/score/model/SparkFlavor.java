package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.ml.PipelineModel;

/** MLflow's {@code spark} flavor: a PipelineModel saved under {@code model_data}. */
final class SparkFlavor {

  private SparkFlavor() {}

  static ScoringModel load(MlmodelFile mlmodel, String modelLabel) {
    JsonNode flavor = mlmodel.flavor("spark").orElseThrow();
    String data = flavor.path("model_data").asText("sparkml");
    String location = mlmodel.file(data, modelLabel).toUri().toString();
    return new SparkPipelineScoringModel(PipelineModel.load(location), mlmodel.featureColumns());
  }
}
