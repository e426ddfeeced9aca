package io.modelplane.runner.score.model;

import io.modelplane.runner.mlflow.MlflowModelFiles;
import org.apache.spark.ml.PipelineModel;

/**
 * MLflow's {@code spark} flavor: a PipelineModel saved under {@code model_data}, read from where
 * {@link ModelStaging} put it for the executors.
 */
final class SparkFlavor {

  private SparkFlavor() {}

  static ScoringModel load(MlflowModelFiles mlmodel, ModelStaging staging) {
    String location = staging.stage(mlmodel.modelData("spark"));
    return new SparkPipelineScoringModel(
        PipelineModel.load(location), ModelFormats.featureColumns(mlmodel), location);
  }
}
