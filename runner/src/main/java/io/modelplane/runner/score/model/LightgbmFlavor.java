package io.modelplane.runner.score.model;

import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassificationModel;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMRegressionModel;
import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;

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
    Transformer model;
    String family;
    if (objective.startsWith("binary") || objective.startsWith("multiclass")) {
      model =
          LightGBMClassificationModel.loadNativeModelFromString(text)
              .setFeaturesCol(BoosterScoringModel.FEATURES);
      family = "classifier";
    } else {
      model =
          LightGBMRegressionModel.loadNativeModelFromString(text)
              .setFeaturesCol(BoosterScoringModel.FEATURES);
      family = "regressor";
    }
    return new BoosterScoringModel(
        model, features, "lightgbm flavor, " + family + " (" + objective + ") over " + features);
  }

  private static java.util.Optional<String> header(String text, String prefix) {
    return text.lines()
        .limit(200)
        .filter(line -> line.startsWith(prefix))
        .findFirst()
        .map(line -> line.substring(prefix.length()).trim());
  }
}
