package io.modelplane.runner.train;

import io.modelplane.runner.mlflow.MlflowClient;
import io.modelplane.runner.mlflow.MlflowRecords.Metric;
import io.modelplane.runner.mlflow.MlflowRecords.ModelVersion;
import io.modelplane.runner.mlflow.MlflowRecords.RunInfo;
import io.modelplane.runner.mlflow.MlflowRecords.RunStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run in MLflow: experiment, run with tags, params, per-trial and final metrics, the
 * model's artifacts, the registered version and the run's end. The version is registered last,
 * after every artifact is uploaded and every metric logged, so a failure leaves a FAILED run and no
 * model version.
 */
final class MlflowTracking {
  private final MlflowClient client;
  private final Clock clock;

  MlflowTracking(MlflowClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Creates the run (and the experiment when absent); tags say which job and data it is. */
  RunInfo start(TrainingJob job, Algorithm algorithm) {
    String experimentId = client.getOrCreateExperiment(job.experimentName());
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.runName", job.name() + "-" + job.preset().value());
    tags.put("mlflow.user", job.owner());
    tags.put("mlflow.source.name", "modelplane-runner train");
    tags.put("modelplane.job_id", job.jobId());
    tags.put("modelplane.domain", job.domain());
    tags.put("modelplane.owner", job.owner());
    tags.put("modelplane.problem_type", job.problemType().value());
    tags.put("modelplane.algorithm", algorithm.value());
    tags.put("modelplane.preset", job.preset().value());
    tags.put("modelplane.source_table", job.sourceTable());
    return client.createRun(
        experimentId, job.name() + "-" + job.preset().value(), clock.millis(), tags);
  }

  /** Logs what was trained, uploads the model, then registers it and finishes the run. */
  ModelVersion finish(
      RunInfo run, TrainingJob job, TrainingData data, TrainedModel model, java.nio.file.Path dir) {
    long now = clock.millis();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("preset", job.preset().value());
    params.put("label_column", job.labelColumn().orElse(""));
    job.groupColumn().ifPresent(group -> params.put("group_column", group));
    params.put("feature_columns", String.join(",", data.features().all()));
    if (!data.features().skipped().isEmpty()) {
      params.put("skipped_columns", String.join(",", data.features().skipped()));
    }
    params.put("selection_metric", model.selectionMetric());
    model.params().forEach((name, value) -> params.put("model." + name, value));

    List<Metric> metrics = new ArrayList<>();
    for (Trial trial : model.trials()) {
      if (!Double.isNaN(trial.metric())) {
        metrics.add(
            new Metric("trial_" + model.selectionMetric(), trial.metric(), now, trial.step()));
      }
    }
    model
        .validationMetrics()
        .forEach((name, value) -> metrics.add(new Metric("validation_" + name, value, now, 0)));
    metrics.add(new Metric("trials", model.trials().size(), now, 0));
    metrics.add(new Metric("training_rows", data.trainRows(), now, 0));
    metrics.add(new Metric("validation_rows", data.validationRows(), now, 0));

    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("modelplane.source_snapshot_id", String.valueOf(data.snapshotId()));
    tags.put("modelplane.source_table_resolved", data.table().toString());
    for (Trial trial : model.trials()) {
      tags.put("modelplane.trial." + trial.step(), describe(trial.params()));
    }
    client.logBatch(run.runId(), metrics, params, tags);
    String modelUri = run.artifactUri() + "/" + ModelDirectory.ARTIFACT_PATH;
    client.uploadArtifacts(modelUri, dir);
    client.getOrCreateRegisteredModel(job.registeredModelName());
    ModelVersion version =
        client.createModelVersion(job.registeredModelName(), modelUri, run.runId());
    client.updateRun(run.runId(), RunStatus.FINISHED, clock.millis());
    return version;
  }

  /** Marks the run FAILED; a failure to say so must not hide the original error. */
  void fail(RunInfo run, RuntimeException cause) {
    try {
      client.logBatch(
          run.runId(),
          List.of(),
          Map.of(),
          Map.of("modelplane.error", truncate(String.valueOf(cause.getMessage()))));
      client.updateRun(run.runId(), RunStatus.FAILED, clock.millis());
    } catch (RuntimeException also) {
      cause.addSuppressed(also);
    }
  }

  private static String describe(Map<String, String> params) {
    StringBuilder text = new StringBuilder();
    params.forEach(
        (name, value) ->
            text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(value));
    return truncate(text.toString());
  }

  /** MLflow keeps tag values up to 5,000 characters. */
  private static String truncate(String text) {
    return text.length() > 5000 ? text.substring(0, 5000) : text;
  }
}
