package io.modelplane.runner.score;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.mlflow.MlflowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fetches a registered model version's files from MLflow: {@code model-versions/get} (the version
 * must exist), {@code model-versions/get-download-uri}, then every artifact below that URI into a
 * new local folder.
 */
public final class ModelVersionDownload {

  private final MlflowClient mlflow;

  public ModelVersionDownload(MlflowClient mlflow) {
    this.mlflow = mlflow;
  }

  /** The local folder holding the version's {@code MLmodel} and model files. */
  public Path download(String modelName, String version, String modelLabel) {
    try {
      mlflow.getModelVersion(modelName, version);
    } catch (MlflowException e) {
      if (e.isResourceDoesNotExist()) {
        throw new RunnerException(modelLabel + " does not exist in MLflow", e);
      }
      throw e;
    }
    String uri = mlflow.getModelVersionDownloadUri(modelName, version);
    Path folder;
    try {
      folder = Files.createTempDirectory("modelplane-model-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mlflow.downloadArtifacts(uri, folder);
    return folder;
  }
}
