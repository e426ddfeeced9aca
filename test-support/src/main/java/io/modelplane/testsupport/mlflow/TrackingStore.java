package io.modelplane.testsupport.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Experiments and runs as MLflow's SQL tracking store keeps them: experiment ids count up from the
 * {@code Default} experiment {@code "0"}, run ids are 32 hex digits, times are epoch milliseconds,
 * and a run's artifact URI is given by the artifact store.
 */
final class TrackingStore {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> RUN_STATUSES =
      Set.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED");
  static final int MAX_PARAMS_PER_BATCH = 100;
  static final int MAX_TAGS_PER_BATCH = 100;
  static final int MAX_METRICS_PER_BATCH = 1000;
  static final int MAX_PARAM_VALUE_LENGTH = 6000;

  private final Map<String, Experiment> experiments = new LinkedHashMap<>();
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final LongSupplier clock;
  private final Function<String, String> experimentArtifactLocation;
  private int nextExperimentId = 0;

  TrackingStore(LongSupplier clock, Function<String, String> experimentArtifactLocation) {
    this.clock = clock;
    this.experimentArtifactLocation = experimentArtifactLocation;
    createExperiment("Default", null, Map.of());
  }

  static final class Experiment {
    final String id;
    final String name;
    final String artifactLocation;
    final long creationTime;
    final Map<String, String> tags;

    Experiment(
        String id, String name, String artifactLocation, long time, Map<String, String> tags) {
      this.id = id;
      this.name = name;
      this.artifactLocation = artifactLocation;
      this.creationTime = time;
      this.tags = new LinkedHashMap<>(tags);
    }

    ObjectNode toJson() {
      ObjectNode node = JSON.objectNode();
      node.put("experiment_id", id);
      node.put("name", name);
      node.put("artifact_location", artifactLocation);
      node.put("lifecycle_stage", "active");
      node.put("last_update_time", creationTime);
      node.put("creation_time", creationTime);
      if (!tags.isEmpty()) {
        node.set("tags", keyValues(tags));
      }
      return node;
    }
  }

  /** One logged metric value. */
  record Metric(String key, double value, long timestamp, long step) {
    ObjectNode toJson() {
      ObjectNode node = JSON.objectNode();
      node.put("key", key);
      node.put("value", value);
      node.put("timestamp", timestamp);
      node.put("step", step);
      return node;
    }
  }

  static final class Run {
    final String id;
    final String experimentId;
    String name;
    final String userId;
    String status = "RUNNING";
    final long startTime;
    Long endTime;
    final String artifactUri;
    final List<Metric> metrics = new ArrayList<>();
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();

    Run(String id, String experimentId, String name, String userId, long start, String uri) {
      this.id = id;
      this.experimentId = experimentId;
      this.name = name;
      this.userId = userId;
      this.startTime = start;
      this.artifactUri = uri;
    }

    ObjectNode infoJson() {
      ObjectNode info = JSON.objectNode();
      info.put("run_id", id);
      info.put("run_uuid", id);
      info.put("run_name", name);
      info.put("experiment_id", experimentId);
      if (userId != null) {
        info.put("user_id", userId);
      }
      info.put("status", status);
      info.put("start_time", startTime);
      if (endTime != null) {
        info.put("end_time", endTime);
      }
      info.put("artifact_uri", artifactUri);
      info.put("lifecycle_stage", "active");
      return info;
    }

    ObjectNode toJson() {
      ObjectNode run = JSON.objectNode();
      run.set("info", infoJson());
      ObjectNode data = JSON.objectNode();
      // runs/get answers the latest value of each metric, as MLflow does.
      Map<String, Metric> latest = new LinkedHashMap<>();
      for (Metric metric : metrics) {
        Metric current = latest.get(metric.key());
        if (current == null
            || metric.step() > current.step()
            || (metric.step() == current.step() && metric.timestamp() >= current.timestamp())) {
          latest.put(metric.key(), metric);
        }
      }
      if (!latest.isEmpty()) {
        ArrayNode array = data.putArray("metrics");
        latest.values().forEach(metric -> array.add(metric.toJson()));
      }
      if (!params.isEmpty()) {
        data.set("params", keyValues(params));
      }
      if (!tags.isEmpty()) {
        data.set("tags", keyValues(tags));
      }
      run.set("data", data);
      return run;
    }
  }

  static ArrayNode keyValues(Map<String, String> values) {
    ArrayNode array = JSON.arrayNode();
    values.forEach((key, value) -> array.addObject().put("key", key).put("value", value));
    return array;
  }

  static Map<String, String> readKeyValues(JsonNode array, String field) {
    Map<String, String> values = new LinkedHashMap<>();
    if (array == null) {
      return values;
    }
    if (!array.isArray()) {
      throw RequestFields.invalidType(field, array, "array");
    }
    for (JsonNode item : array) {
      RequestFields fields = RequestFields.ofBody(item);
      values.put(fields.requiredString("key"), fields.optionalString("value"));
    }
    return values;
  }

  Experiment createExperiment(String name, String artifactLocation, Map<String, String> tags) {
    for (Experiment experiment : experiments.values()) {
      if (experiment.name.equals(name)) {
        throw MlflowError.alreadyExists("Experiment(name=" + name + ") already exists.");
      }
    }
    String id = Integer.toString(nextExperimentId++);
    String location =
        artifactLocation != null ? artifactLocation : experimentArtifactLocation.apply(id);
    Experiment experiment = new Experiment(id, name, location, clock.getAsLong(), tags);
    experiments.put(id, experiment);
    return experiment;
  }

  Experiment experimentByName(String name) {
    return experiments.values().stream()
        .filter(experiment -> experiment.name.equals(name))
        .findFirst()
        .orElseThrow(
            () -> MlflowError.notFound("Could not find experiment with name '" + name + "'"));
  }

  Experiment experiment(String id) {
    return Optional.ofNullable(experiments.get(id))
        .orElseThrow(() -> MlflowError.notFound("No Experiment with id=" + id + " exists"));
  }

  Run createRun(
      String experimentId,
      String runName,
      String userId,
      Long startTime,
      Map<String, String> tags) {
    Experiment experiment = experiment(experimentId);
    String id = UUID.randomUUID().toString().replace("-", "");
    String name = runName;
    if (name == null) {
      name = tags.getOrDefault("mlflow.runName", "run-" + (runs.size() + 1));
    }
    Run run =
        new Run(
            id,
            experiment.id,
            name,
            userId,
            startTime == null ? clock.getAsLong() : startTime,
            experiment.artifactLocation + "/" + id + "/artifacts");
    run.tags.putAll(tags);
    run.tags.put("mlflow.runName", name);
    if (userId != null) {
      run.tags.putIfAbsent("mlflow.user", userId);
    }
    runs.put(id, run);
    return run;
  }

  Run run(String runId) {
    return Optional.ofNullable(runs.get(runId))
        .orElseThrow(() -> MlflowError.notFound("Run with id=" + runId + " not found"));
  }

  void logBatch(
      String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
    if (params.size() > MAX_PARAMS_PER_BATCH) {
      throw tooMany(params.size(), MAX_PARAMS_PER_BATCH, "params");
    }
    if (tags.size() > MAX_TAGS_PER_BATCH) {
      throw tooMany(tags.size(), MAX_TAGS_PER_BATCH, "tags");
    }
    if (metrics.size() > MAX_METRICS_PER_BATCH) {
      throw tooMany(metrics.size(), MAX_METRICS_PER_BATCH, "metrics");
    }
    Run run = run(runId);
    params.forEach((key, value) -> checkParam(run, key, value));
    run.params.putAll(params);
    run.metrics.addAll(metrics);
    run.tags.putAll(tags);
    if (tags.containsKey("mlflow.runName")) {
      run.name = tags.get("mlflow.runName");
    }
  }

  private static MlflowError tooMany(int count, int limit, String what) {
    return MlflowError.invalidParameter(
        "A batch logging request can contain at most "
            + limit
            + " "
            + what
            + ". Got "
            + count
            + " "
            + what
            + ". Please split up "
            + what
            + " across multiple requests and try again.");
  }

  private static void checkParam(Run run, String key, String value) {
    if (value != null && value.length() > MAX_PARAM_VALUE_LENGTH) {
      throw MlflowError.invalidParameter(
          "Param value '"
              + value.substring(0, 100)
              + "...' had length "
              + value.length()
              + ", which exceeded length limit of "
              + MAX_PARAM_VALUE_LENGTH);
    }
    String existing = run.params.get(key);
    if (run.params.containsKey(key) && !java.util.Objects.equals(existing, value)) {
      throw MlflowError.invalidParameter(
          "Changing param values is not allowed. Param with key='"
              + key
              + "' was already logged with value='"
              + existing
              + "' for run ID='"
              + run.id
              + "'. Attempted logging new value '"
              + value
              + "'.");
    }
  }

  Run updateRun(String runId, String status, Long endTime, String runName) {
    Run run = run(runId);
    if (status != null) {
      if (!RUN_STATUSES.contains(status)) {
        throw MlflowError.invalidParameter(
            "Invalid value \"" + status + "\" for parameter 'status': not a RunStatus");
      }
      run.status = status;
    }
    if (endTime != null) {
      run.endTime = endTime;
    }
    if (runName != null) {
      run.name = runName;
      run.tags.put("mlflow.runName", runName);
    }
    return run;
  }

  List<Metric> metricHistory(String runId, String key) {
    return run(runId).metrics.stream().filter(metric -> metric.key().equals(key)).toList();
  }

  List<Run> runs() {
    return List.copyOf(runs.values());
  }
}
