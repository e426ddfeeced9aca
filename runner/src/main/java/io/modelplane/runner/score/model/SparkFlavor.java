package io.modelplane.runner.score.model;

import io.modelplane.runner.mlflow.MlflowModelFiles;
import org.apache.spark.ml.PipelineModel;

/** MLflow's {@code spark} flavor: a PipelineModel saved under {@code model_data}. */
final class SparkFlavor {

  private SparkFlavor() {}

  static ScoringModel load(MlflowModelFiles mlmodel, String modelLabel) {
    String location = mlmodel.modelData("spark").toUri().toString();
    return new SparkPipelineScoringModel(
        PipelineModel.load(location), ModelFormats.featureColumns(mlmodel));
  }
}
