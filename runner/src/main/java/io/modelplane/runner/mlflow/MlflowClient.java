package io.modelplane.runner.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelplane.runner.RunnerException;
import io.modelplane.runner.mlflow.MlflowRecords.ArtifactFile;
import io.modelplane.runner.mlflow.MlflowRecords.Experiment;
import io.modelplane.runner.mlflow.MlflowRecords.Metric;
import io.modelplane.runner.mlflow.MlflowRecords.ModelVersion;
import io.modelplane.runner.mlflow.MlflowRecords.RegisteredModel;
import io.modelplane.runner.mlflow.MlflowRecords.Run;
import io.modelplane.runner.mlflow.MlflowRecords.RunInfo;
import io.modelplane.runner.mlflow.MlflowRecords.RunStatus;
import io.modelplane.runner.spark.RunnerSettings.MlflowSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A small typed client of MLflow's REST API (tracking, model registry, artifact proxy) over the
 * JDK's HTTP client: exactly the calls of docs/runner-model-format.md. Authentication is a bearer
 * token or HTTP Basic (MLflow's basic-auth app). Every failure is an {@link MlflowException} with
 * MLflow's {@code error_code} and the HTTP status, or a {@link RunnerException} when MLflow cannot
 * be reached; messages never carry the credentials.
 */
public final class MlflowClient {
  /** MLflow's limits on one {@code runs/log-batch} request. */
  static final int MAX_BATCH_PARAMS = 100;

  static final int MAX_BATCH_TAGS = 100;
  static final int MAX_BATCH_ENTRIES = 1000;

  private static final String API = "/api/2.0/mlflow/";
  private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

  /** How many artifact requests a download has in flight at most. */
  static final int PARALLEL_TRANSFERS = 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final Optional<String> authorization;
  private final HttpClient http;
  private final Duration timeout;

  private MlflowClient(String baseUrl, Optional<String> authorization, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.authorization = authorization;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** A client for the runner's settings: MODELPLANE_MLFLOW_URL with its token or user/password. */
  public static MlflowClient fromSettings(MlflowSettings settings) {
    String url =
        settings
            .url()
            .orElseThrow(
                () -> new RunnerException("MODELPLANE_MLFLOW_URL is not set: MLflow is needed"));
    Builder builder = builder(url);
    if (settings.token().isPresent()) {
      builder.bearerToken(settings.token().get());
    } else if (settings.username().isPresent()) {
      builder.basicAuth(
          settings.username().get(),
          settings
              .password()
              .orElseThrow(
                  () ->
                      new RunnerException(
                          "MODELPLANE_MLFLOW_USERNAME is set without MODELPLANE_MLFLOW_PASSWORD")));
    }
    return builder.build();
  }

  public static Builder builder(String trackingUrl) {
    return new Builder(trackingUrl);
  }

  /** The tracking URL and how to authenticate. */
  public static final class Builder {
    private final String url;
    private Optional<String> authorization = Optional.empty();
    private Duration timeout = Duration.ofMinutes(5);

    private Builder(String url) {
      URI parsed;
      try {
        parsed = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new RunnerException("MODELPLANE_MLFLOW_URL is not a URL");
      }
      if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
        throw new RunnerException("MODELPLANE_MLFLOW_URL must be an http:// or https:// URL");
      }
      this.url = url;
    }

    public Builder bearerToken(String token) {
      this.authorization = Optional.of("Bearer " + token);
      return this;
    }

    public Builder basicAuth(String username, String password) {
      String pair = username + ":" + password;
      this.authorization =
          Optional.of(
              "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
      return this;
    }

    /** How long one request may take (default 5 minutes: artifact files can be large). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public MlflowClient build() {
      return new MlflowClient(url, authorization, timeout);
    }
  }

  // ---- experiments

  /** The experiment of that name, or empty when MLflow has none (its 404). */
  public Optional<Experiment> getExperimentByName(String name) {
    try {
      JsonNode answer = get("experiments/get-by-name", Map.of("experiment_name", name));
      return Optional.of(experiment(answer.path("experiment")));
    } catch (MlflowException e) {
      if (e.isResourceDoesNotExist()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The id of the experiment of that name, created when absent (also when created meanwhile). */
  public String getOrCreateExperiment(String name) {
    Optional<Experiment> existing = getExperimentByName(name);
    if (existing.isPresent()) {
      return existing.get().experimentId();
    }
    try {
      ObjectNode body = JSON.createObjectNode().put("name", name);
      return post("experiments/create", body).path("experiment_id").asText();
    } catch (MlflowException e) {
      if (e.isResourceAlreadyExists()) {
        return getExperimentByName(name)
            .orElseThrow(() -> new RunnerException("MLflow experiment " + name + " vanished"))
            .experimentId();
      }
      throw e;
    }
  }

  // ---- runs

  public RunInfo createRun(
      String experimentId, String runName, long startTimeMillis, Map<String, String> tags) {
    ObjectNode body = JSON.createObjectNode();
    body.put("experiment_id", experimentId);
    if (runName != null) {
      body.put("run_name", runName);
    }
    body.put("start_time", startTimeMillis);
    body.set("tags", keyValues(tags));
    return runInfo(post("runs/create", body).path("run").path("info"));
  }

  public Run getRun(String runId) {
    JsonNode run = get("runs/get", Map.of("run_id", runId)).path("run");
    JsonNode data = run.path("data");
    List<Metric> metrics = new ArrayList<>();
    data.path("metrics").forEach(node -> metrics.add(metric(node)));
    return new Run(
        runInfo(run.path("info")),
        metrics,
        readKeyValues(data.path("params")),
        readKeyValues(data.path("tags")));
  }

  /**
   * Logs metrics, params and tags, in as many {@code runs/log-batch} requests as MLflow's limits
   * need (100 params, 100 tags, 1,000 entries a request).
   */
  public void logBatch(
      String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
    List<Map.Entry<String, String>> paramList = new ArrayList<>(params.entrySet());
    List<Map.Entry<String, String>> tagList = new ArrayList<>(tags.entrySet());
    int p = 0;
    int t = 0;
    int m = 0;
    do {
      int paramCount = Math.min(MAX_BATCH_PARAMS, paramList.size() - p);
      int tagCount = Math.min(MAX_BATCH_TAGS, tagList.size() - t);
      int metricCount = Math.min(MAX_BATCH_ENTRIES - paramCount - tagCount, metrics.size() - m);
      ObjectNode body = JSON.createObjectNode().put("run_id", runId);
      ArrayNode metricNodes = body.putArray("metrics");
      metrics.subList(m, m + metricCount).forEach(metric -> metricNodes.add(metricJson(metric)));
      body.set("params", keyValues(paramList.subList(p, p + paramCount)));
      body.set("tags", keyValues(tagList.subList(t, t + tagCount)));
      post("runs/log-batch", body);
      p += paramCount;
      t += tagCount;
      m += metricCount;
    } while (p < paramList.size() || t < tagList.size() || m < metrics.size());
  }

  public void logMetric(String runId, Metric metric) {
    ObjectNode body = metricJson(metric);
    body.put("run_id", runId);
    post("runs/log-metric", body);
  }

  /** Ends (or re-opens) a run: {@code FINISHED} or {@code FAILED} with the end time. */
  public RunInfo updateRun(String runId, RunStatus status, long endTimeMillis) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("run_id", runId)
            .put("status", status.name())
            .put("end_time", endTimeMillis);
    return runInfo(post("runs/update", body).path("run_info"));
  }

  // ---- registry

  /** The registered model of that name, created when absent (also when created meanwhile). */
  public RegisteredModel getOrCreateRegisteredModel(String name) {
    try {
      return registeredModel(get("registered-models/get", Map.of("name", name)));
    } catch (MlflowException e) {
      if (!e.isResourceDoesNotExist()) {
        throw e;
      }
    }
    try {
      return registeredModel(
          post("registered-models/create", JSON.createObjectNode().put("name", name)));
    } catch (MlflowException e) {
      if (e.isResourceAlreadyExists()) {
        return registeredModel(get("registered-models/get", Map.of("name", name)));
      }
      throw e;
    }
  }

  public ModelVersion createModelVersion(String name, String source, String runId) {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("source", source);
    if (runId != null) {
      body.put("run_id", runId);
    }
    return modelVersion(post("model-versions/create", body).path("model_version"));
  }

  public ModelVersion getModelVersion(String name, String version) {
    return modelVersion(
        get("model-versions/get", Map.of("name", name, "version", version)).path("model_version"));
  }

  /** Where the version's files are ({@code artifact_uri} of {@code get-download-uri}). */
  public String getModelVersionDownloadUri(String name, String version) {
    return get("model-versions/get-download-uri", Map.of("name", name, "version", version))
        .path("artifact_uri")
        .asText();
  }

  /**
   * The version an alias points at. An unknown alias is MLflow's 400 {@code
   * INVALID_PARAMETER_VALUE}; an unknown model its 404 {@code RESOURCE_DOES_NOT_EXIST}.
   */
  public ModelVersion getModelVersionByAlias(String name, String alias) {
    return modelVersion(
        get("registered-models/alias", Map.of("name", name, "alias", alias)).path("model_version"));
  }

  // ---- artifacts

  /**
   * Uploads every file below {@code localDir} to {@code artifactUri/<relative path>}: through the
   * artifact proxy for {@code mlflow-artifacts:}, by copying for {@code file:}.
   */
  public void uploadArtifacts(String artifactUri, Path localDir) {
    ArtifactUri target = resolve(ArtifactUri.parse(artifactUri));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(localDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      String relative = localDir.relativize(file).toString().replace('\\', '/');
      uploadFile(target, relative, file);
    }
  }

  /** Uploads one file to {@code artifactUri/<relativePath>}. */
  public void uploadArtifact(String artifactUri, String relativePath, Path file) {
    uploadFile(resolve(ArtifactUri.parse(artifactUri)), relativePath, file);
  }

  /**
   * Downloads the tree at {@code artifactUri} into {@code targetDir} (created when absent) and
   * answers the relative paths of the files written. Nothing there is an error that names the URI.
   */
  public List<String> downloadArtifacts(String artifactUri, Path targetDir) {
    ArtifactUri source = resolve(ArtifactUri.parse(artifactUri));
    List<ArtifactFile> files =
        listArtifactsRecursively(source).stream().filter(file -> !file.isDir()).toList();
    if (files.isEmpty()) {
      throw new RunnerException("MLflow has no artifacts at " + artifactUri);
    }
    forEach(
        source,
        files,
        file -> {
          Path target = safeChild(targetDir, file.path());
          try {
            Files.createDirectories(target.getParent());
            if (source.kind() == ArtifactUri.Kind.LOCAL) {
              Files.copy(
                  safeChild(source.localPath(), file.path()),
                  target,
                  StandardCopyOption.REPLACE_EXISTING);
            } else {
              String call = "artifact download " + source.proxyChild(file.path());
              HttpResponse<byte[]> response =
                  send(
                      call,
                      request(artifactPath(source.proxyChild(file.path())), Map.of()).GET().build(),
                      HttpResponse.BodyHandlers.ofByteArray());
              check(call, response, response.body());
              Files.write(target, response.body());
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
    return files.stream().map(ArtifactFile::path).toList();
  }

  /** The direct entries at {@code artifactUri} (an empty list when there is nothing). */
  public List<ArtifactFile> listArtifacts(String artifactUri) {
    return listDirectory(resolve(ArtifactUri.parse(artifactUri)), "");
  }

  private ArtifactUri resolve(ArtifactUri uri) {
    if (uri.kind() != ArtifactUri.Kind.RUNS) {
      return uri;
    }
    String runRoot = getRun(uri.runId()).info().artifactUri();
    String path = uri.proxyPath();
    ArtifactUri root = ArtifactUri.parse(runRoot);
    if (root.kind() == ArtifactUri.Kind.LOCAL) {
      return new ArtifactUri(
          ArtifactUri.Kind.LOCAL,
          null,
          path.isEmpty() ? root.localPath() : safeChild(root.localPath(), path),
          null);
    }
    return new ArtifactUri(ArtifactUri.Kind.PROXY, root.proxyChild(path), null, null);
  }

  /** Every entry below the URI, sorted by path; one folder level's listings at a time. */
  private List<ArtifactFile> listArtifactsRecursively(ArtifactUri uri) {
    List<ArtifactFile> all = new ArrayList<>();
    List<String> level = List.of("");
    while (!level.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (List<ArtifactFile> entries : forEach(uri, level, dir -> listDirectory(uri, dir))) {
        for (ArtifactFile entry : entries) {
          all.add(entry);
          if (entry.isDir()) {
            next.add(entry.path());
          }
        }
      }
      level = next;
    }
    all.sort(Comparator.comparing(ArtifactFile::path));
    return all;
  }

  /**
   * {@code action} over the items, in order of the items: for the artifact proxy up to {@link
   * #PARALLEL_TRANSFERS} requests at a time (a model's many small files otherwise cost one round
   * trip each, one after the other), for a local store one after the other. The first failure is
   * thrown.
   */
  private static <T, R> List<R> forEach(ArtifactUri uri, List<T> items, Function<T, R> action) {
    if (uri.kind() == ArtifactUri.Kind.LOCAL || items.size() < 2) {
      return items.stream().map(action).toList();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(PARALLEL_TRANSFERS, items.size()),
            runnable -> {
              Thread thread = new Thread(runnable, "mlflow-artifacts");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> action.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunnerException("interrupted while transferring MLflow artifacts", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<ArtifactFile> listDirectory(ArtifactUri uri, String relative) {
    List<ArtifactFile> entries = new ArrayList<>();
    if (uri.kind() == ArtifactUri.Kind.LOCAL) {
      Path dir = relative.isEmpty() ? uri.localPath() : safeChild(uri.localPath(), relative);
      if (!Files.isDirectory(dir)) {
        return entries;
      }
      try (Stream<Path> children = Files.list(dir)) {
        for (Path child : children.sorted().toList()) {
          String path = join(relative, child.getFileName().toString());
          boolean isDir = Files.isDirectory(child);
          entries.add(new ArtifactFile(path, isDir, isDir ? null : Files.size(child)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return entries;
    }
    String dir = uri.proxyChild(relative);
    JsonNode answer =
        exchange("artifact list " + dir, request(ARTIFACTS, Map.of("path", dir)).GET().build());
    for (JsonNode file : answer.path("files")) {
      // The proxy answers base names; a name that is not one is refused rather than followed.
      String name = file.path("path").asText();
      String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
      boolean isDir = file.path("is_dir").asBoolean(false);
      Long size = file.hasNonNull("file_size") ? file.get("file_size").asLong() : null;
      entries.add(new ArtifactFile(join(relative, base), isDir, size));
    }
    return entries;
  }

  private void uploadFile(ArtifactUri target, String relative, Path file) {
    try {
      if (target.kind() == ArtifactUri.Kind.LOCAL) {
        Path destination = safeChild(target.localPath(), relative);
        Files.createDirectories(destination.getParent());
        Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      String path = target.proxyChild(relative);
      exchange(
          "artifact upload " + path,
          request(artifactPath(path), Map.of())
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "/" + child;
  }

  /** {@code root/relative}, refusing a relative path that would leave {@code root}. */
  private static Path safeChild(Path root, String relative) {
    Path child = root.resolve(relative).normalize();
    if (!child.startsWith(root.normalize())
        || Stream.of(relative.split("/")).anyMatch(segment -> segment.equals(".."))) {
      throw new RunnerException("MLflow artifact path leaves its directory: " + relative);
    }
    return child;
  }

  private static String artifactPath(String proxyPath) {
    String encoded =
        Stream.of(proxyPath.split("/"))
            .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
            .collect(Collectors.joining("/"));
    return ARTIFACTS + "/" + encoded;
  }

  // ---- HTTP

  private JsonNode get(String endpoint, Map<String, String> query) {
    return exchange(endpoint, request(API + endpoint, query).GET().build());
  }

  private JsonNode post(String endpoint, JsonNode body) {
    try {
      return exchange(
          endpoint,
          request(API + endpoint, Map.of())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpRequest.Builder request(String path, Map<String, String> query) {
    String queryString =
        query.entrySet().stream()
            .map(
                entry ->
                    URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    URI uri = URI.create(baseUrl + path + (queryString.isEmpty() ? "" : "?" + queryString));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  private JsonNode exchange(String call, HttpRequest request) {
    HttpResponse<byte[]> response = send(call, request, HttpResponse.BodyHandlers.ofByteArray());
    check(call, response, response.body());
    byte[] body = response.body();
    if (body == null || body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new MlflowException(call, response.statusCode(), null, "the answer is not JSON");
    }
  }

  private <T> HttpResponse<T> send(
      String call, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new RunnerException(
          "MLflow at " + baseUrl + " cannot be reached (" + call + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunnerException("interrupted while calling MLflow " + call, e);
    }
  }

  private static void check(String call, HttpResponse<?> response, byte[] body) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 401 || status == 403) {
      throw new MlflowException(
          call,
          status,
          null,
          "MLflow refused the credentials (MODELPLANE_MLFLOW_TOKEN or"
              + " MODELPLANE_MLFLOW_USERNAME/PASSWORD)");
    }
    String errorCode = null;
    String message = null;
    if (body != null && body.length > 0) {
      try {
        JsonNode json = JSON.readTree(body);
        if (json != null && json.hasNonNull("error_code")) {
          errorCode = json.get("error_code").asText();
          message = json.path("message").asText(null);
        }
      } catch (IOException e) {
        // Not MLflow's JSON error (a proxy's or Flask's page): the status says enough.
      }
    }
    throw new MlflowException(call, status, errorCode, message);
  }

  // ---- JSON mapping

  private static ArrayNode keyValues(Map<String, String> values) {
    return keyValues(new ArrayList<>(values.entrySet()));
  }

  private static ArrayNode keyValues(List<Map.Entry<String, String>> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(
        entry -> array.addObject().put("key", entry.getKey()).put("value", entry.getValue()));
    return array;
  }

  private static Map<String, String> readKeyValues(JsonNode array) {
    Map<String, String> values = new LinkedHashMap<>();
    array.forEach(node -> values.put(node.path("key").asText(), node.path("value").asText(null)));
    return values;
  }

  private static ObjectNode metricJson(Metric metric) {
    ObjectNode node = JSON.createObjectNode().put("key", metric.key());
    double value = metric.value();
    // JSON has no NaN or infinities; MLflow takes them as these strings.
    if (Double.isNaN(value)) {
      node.put("value", "NaN");
    } else if (Double.isInfinite(value)) {
      node.put("value", value > 0 ? "Infinity" : "-Infinity");
    } else {
      node.put("value", value);
    }
    return node.put("timestamp", metric.timestamp()).put("step", metric.step());
  }

  private static Metric metric(JsonNode node) {
    return new Metric(
        node.path("key").asText(),
        node.path("value").isTextual()
            ? Double.parseDouble(node.path("value").asText())
            : node.path("value").asDouble(),
        node.path("timestamp").asLong(),
        node.path("step").asLong(0));
  }

  private static Experiment experiment(JsonNode node) {
    return new Experiment(
        node.path("experiment_id").asText(),
        node.path("name").asText(),
        node.path("artifact_location").asText(null),
        node.path("lifecycle_stage").asText(null));
  }

  private static RunInfo runInfo(JsonNode node) {
    return new RunInfo(
        node.path("run_id").asText(),
        node.path("experiment_id").asText(),
        node.path("run_name").asText(null),
        node.path("status").asText(null),
        node.path("start_time").asLong(),
        node.hasNonNull("end_time") ? node.get("end_time").asLong() : null,
        node.path("artifact_uri").asText(null));
  }

  private static RegisteredModel registeredModel(JsonNode answer) {
    JsonNode node = answer.path("registered_model");
    Map<String, String> aliases = new LinkedHashMap<>();
    node.path("aliases")
        .forEach(
            alias -> aliases.put(alias.path("alias").asText(), alias.path("version").asText()));
    return new RegisteredModel(node.path("name").asText(), aliases);
  }

  private static ModelVersion modelVersion(JsonNode node) {
    List<String> aliases = new ArrayList<>();
    node.path("aliases").forEach(alias -> aliases.add(alias.asText()));
    return new ModelVersion(
        node.path("name").asText(),
        node.path("version").asText(),
        node.path("source").asText(null),
        node.path("run_id").asText(null),
        node.path("status").asText(null),
        aliases);
  }
}
