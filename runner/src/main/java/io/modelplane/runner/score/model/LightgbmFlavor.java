package io.modelplane.runner.score.model;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * MLflow's {@code lightgbm} flavor: LightGBM's native text model ({@code model.lgb}) loaded by
 * SynapseML. The model's {@code objective} line decides classifier or regressor (ranking and other
 * objectives give the booster's score as the prediction).
 */
final class LightgbmFlavor {

  private LightgbmFlavor() {}

  static ScoringModel load(MlflowModelFiles mlmodel, String modelLabel) {
    String text;
    try {
      text = Files.readString(ModelFormats.modelFile(mlmodel, "lightgbm", "lgb_model"));
    } catch (IOException e) {
      throw new RunnerException(modelLabel + " has an unreadable LightGBM model file", e);
    }
    String objective = header(text, "objective=").orElse("");
    if (!text.startsWith("tree") || objective.isEmpty()) {
      throw new RunnerException(
          modelLabel + " has a LightGBM model file that is not LightGBM's text format");
    }
    List<String> features = ModelFormats.featureColumns(mlmodel);
    if (features.isEmpty()) {
      header(text, "feature_names=")
          .ifPresent(names -> features.addAll(Arrays.asList(names.split(" "))));
    }
    if (features.isEmpty()) {
      throw new RunnerException(modelLabel + " names no feature columns");
    }
    boolean classifier = objective.startsWith("binary") || objective.startsWith("multiclass");
    int width = features.size();
    return new BatchScoringModel(
        context ->
            LightgbmBatchModel.loader(context.broadcast(text), classifier, 0, -1, false, width),
        features,
        "lightgbm flavor, "
            + (classifier ? "classifier" : "regressor")
            + " ("
            + objective
            + ") over "
            + features);
  }

  private static java.util.Optional<String> header(String text, String prefix) {
    return text.lines()
        .limit(200)
        .filter(line -> line.startsWith(prefix))
        .findFirst()
        .map(line -> line.substring(prefix.length()).trim());
  }
}
