package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import java.nio.file.Path;
import java.util.List;

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
   */
  public static ScoringModel load(Path directory, String modelLabel) {
    MlmodelFile mlmodel = MlmodelFile.read(directory, modelLabel);
    try {
      if (mlmodel.flavor("spark").isPresent()) {
        return SparkFlavor.load(mlmodel, modelLabel);
      }
      if (mlmodel.flavor("xgboost").isPresent()) {
        return XgboostFlavor.load(mlmodel, modelLabel);
      }
      if (mlmodel.flavor("lightgbm").isPresent()) {
        return LightgbmFlavor.load(mlmodel, modelLabel);
      }
    } catch (RunnerException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new RunnerException(
          modelLabel + " cannot be loaded: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
    throw new RunnerException(
        modelLabel
            + " is in an unsupported format: flavors "
            + mlmodel.flavorNames()
            + ", supported "
            + SUPPORTED);
  }
}
