package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The one place that knows which MLflow flavors the scorer reads (docs/runner-model-format.md):
 * {@code spark} (what {@code runner train} logs), and Python users' {@code xgboost} and {@code
 * lightgbm} boosters over numeric features.
 */
public final class ModelFormats {

  static final List<String> SUPPORTED = List.of("spark", "xgboost", "lightgbm");

  private ModelFormats() {}

  /**
   * Loads the model in a downloaded {@code model/} directory.
   *
   * @param modelLabel names the model version in messages ({@code model 'churn' version 3})
   * @param staging where a {@code spark}-flavor model is read from by the executors
   */
  public static ScoringModel load(Path directory, String modelLabel, ModelStaging staging) {
    MlflowModelFiles mlmodel;
    try {
      mlmodel = MlflowModelFiles.read(directory);
    } catch (RunnerException e) {
      throw new RunnerException(modelLabel + ": " + e.getMessage(), e);
    }
    try {
      if (mlmodel.hasFlavor("spark")) {
        return SparkFlavor.load(mlmodel, staging);
      }
      if (mlmodel.hasFlavor("xgboost")) {
        return XgboostFlavor.load(mlmodel, modelLabel);
      }
      if (mlmodel.hasFlavor("lightgbm")) {
        return LightgbmFlavor.load(mlmodel, modelLabel);
      }
    } catch (RunnerException e) {
      throw e.getMessage().startsWith(modelLabel)
          ? e
          : new RunnerException(modelLabel + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      throw new RunnerException(
          modelLabel + " cannot be loaded: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
    throw new RunnerException(
        modelLabel
            + " is in an unsupported format: flavors "
            + new TreeSet<>(mlmodel.flavorNames())
            + ", supported "
            + SUPPORTED);
  }

  /** {@code metadata.modelplane_feature_columns} ({@code runner train}), else the signature's. */
  static List<String> featureColumns(MlflowModelFiles mlmodel) {
    List<String> recorded = mlmodel.metadataList("modelplane_feature_columns");
    return new ArrayList<>(recorded.isEmpty() ? mlmodel.signatureInputNames() : recorded);
  }

  /**
   * The flavor's model file: {@code data} as MLflow writes it, or an older key ({@code xgb_model},
   * {@code lgb_model}) that names a file inside the model directory.
   */
  static Path modelFile(MlflowModelFiles mlmodel, String flavor, String olderKey) {
    if (mlmodel.flavorSetting(flavor, "data").isEmpty()
        && mlmodel.flavorSetting(flavor, "model_data").isEmpty()) {
      String relative =
          mlmodel
              .flavorSetting(flavor, olderKey)
              .orElseThrow(
                  () -> new RunnerException("the " + flavor + " flavor names no model file"));
      Path path = mlmodel.directory().resolve(relative).normalize();
      if (!path.startsWith(mlmodel.directory().normalize()) || !path.toFile().isFile()) {
        throw new RunnerException("the " + flavor + " model file " + relative + " is missing");
      }
      return path;
    }
    return mlmodel.modelData(flavor);
  }
}
