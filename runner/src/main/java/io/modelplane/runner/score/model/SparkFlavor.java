package io.modelplane.runner.score.model;

import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.ml.PipelineModel;

/**
 * MLflow's {@code spark} flavor: a PipelineModel saved under {@code model_data}.
 *
 * <p>Where it is read from: {@code train}'s pipelines (its encoding stages, then XGBoost4J-Spark's
 * or SynapseML's LightGBM model) are read by the driver alone, straight from the downloaded folder
 * ({@link SavedPipeline}; no Spark job, no copy): the executors get the booster as a broadcast and
 * the encoding inside their tasks, and never open a model file. Any other pipeline is loaded with
 * {@code PipelineModel.load} from where {@link ModelStaging} puts it for the executors, which read
 * some stages' files themselves.
 */
final class SparkFlavor {

  private SparkFlavor() {}

  static ScoringModel load(MlflowModelFiles mlmodel, ModelStaging staging) {
    Path folder = mlmodel.modelData("spark");
    List<String> features = ModelFormats.featureColumns(mlmodel);
    Supplier<PipelineModel> load = () -> PipelineModel.load(staging.stage(folder));
    String local = folder.toUri().toString();
    try {
      Optional<SparkPipelineScoringModel> direct =
          SparkPipelineScoringModel.readDirectly(
              SavedPipeline.read(local, staging.hadoopConfiguration()),
              features,
              local + " by the driver",
              load);
      if (direct.isPresent()) {
        return direct.get();
      }
    } catch (IOException | RuntimeException e) {
      // Not laid out as train writes it: Spark reads it below, and reports what is wrong.
    }
    String location = staging.stage(folder);
    return SparkPipelineScoringModel.loaded(PipelineModel.load(location), features, location);
  }
}
