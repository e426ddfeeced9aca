package io.modelplane.testsupport.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An in-process stand-in for an MLflow tracking server with its model registry and artifact proxy
 * ({@code mlflow server --serve-artifacts}), for tests: MLflow cannot be installed here. It answers
 * the subset of MLflow's REST API that Modelplane calls with MLflow's own field names, error bodies
 * ({@code {"error_code", "message"}}) and statuses, keeps artifacts on local disk under a temporary
 * directory, and records every request so that a test can assert exactly what a client sent. See
 * docs/testing.md for what it implements and what it does not.
 *
 * <pre>{@code
 * try (MlflowStandIn mlflow = MlflowStandIn.builder().bearerToken("t0ken").start()) {
 *   String url = mlflow.url(); // MODELPLANE_MLFLOW_URL
 *   ...
 *   assertThat(mlflow.requests("runs/log-batch")).hasSize(1);
 * }
 * }</pre>
 */
public final class MlflowStandIn implements AutoCloseable {
  static final String API = "/api/2.0/mlflow/";
  static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String NOT_AUTHENTICATED =
      "You are not authenticated. Please see"
          + " https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how"
          + " to authenticate.";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final ArtifactStore artifacts;
  private final TrackingStore tracking;
  private final RegistryStore registry;
  private final String expectedAuthorization;
  private final Map<String, Function<RequestFields, ObjectNode>> routes = new HashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Object lock = new Object();

  private MlflowStandIn(Builder builder) throws IOException {
    this.root = Files.createTempDirectory("mlflow-standin-");
    this.artifacts = new ArtifactStore(root.resolve("artifacts"));
    Files.createDirectories(artifacts.root());
    Function<String, String> experimentLocation =
        builder.fileStore
            ? id -> artifacts.root().resolve(id).toUri().toString().replaceAll("/$", "")
            : id -> "mlflow-artifacts:/" + id;
    this.tracking = new TrackingStore(System::currentTimeMillis, experimentLocation);
    this.registry = new RegistryStore(System::currentTimeMillis);
    this.expectedAuthorization = builder.authorization;
    registerRoutes();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A stand-in without authentication that serves artifacts through its proxy. */
  public static MlflowStandIn start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a stand-in: authentication and the kind of artifact store. */
  public static final class Builder {
    private String authorization;
    private boolean fileStore;

    private Builder() {}

    /** Requires {@code Authorization: Bearer <token>} on every request. */
    public Builder bearerToken(String token) {
      this.authorization = "Bearer " + token;
      return this;
    }

    /** Requires HTTP Basic credentials on every request, as MLflow's basic-auth app does. */
    public Builder basicAuth(String username, String password) {
      this.authorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /**
     * Gives runs {@code file:} artifact URIs (a local artifact store the client reads and writes
     * directly) instead of {@code mlflow-artifacts:/} ones served by the proxy.
     */
    public Builder fileArtifactStore() {
      this.fileStore = true;
      return this;
    }

    public MlflowStandIn start() {
      try {
        return new MlflowStandIn(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The tracking URI, {@code http://127.0.0.1:<port>} (what MODELPLANE_MLFLOW_URL names). */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The directory behind {@code mlflow-artifacts:/} (and behind {@code file:} artifact URIs). */
  public Path artifactRoot() {
    return artifacts.root();
  }

  /** Every request received so far, in order, including refused ones. */
  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /**
   * The requests to one endpoint: {@code "runs/log-batch"} (after {@code /api/2.0/mlflow/}) or a
   * full path prefix such as {@code "/api/2.0/mlflow-artifacts/artifacts"}.
   */
  public List<RecordedRequest> requests(String endpoint) {
    return requests().stream()
        .filter(
            request ->
                endpoint.startsWith("/")
                    ? request.path().startsWith(endpoint)
                    : request.endpoint().equals(endpoint))
        .toList();
  }

  public void clearRequests() {
    synchronized (lock) {
      requests.clear();
    }
  }

  /** The relative paths of every stored artifact file below {@code prefix}, sorted. */
  public List<String> artifactFiles(String prefix) {
    Path dir = artifacts.resolve(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> artifacts.root().relativize(file).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A stored artifact file's bytes, by its path relative to the artifact root. */
  public byte[] artifact(String relativePath) {
    return artifacts.read(relativePath);
  }

  /**
   * Logs and registers a model the way a Python MLflow user does ({@code mlflow.xgboost.log_model}
   * or {@code mlflow.lightgbm.log_model} with {@code registered_model_name}): an experiment and a
   * finished run, the {@code model/} artifacts (MLmodel, environment files, the model file) and a
   * new version of the registered model (created when absent) whose source is the model's artifact
   * URI. No request is recorded.
   */
  public RegisteredModelVersion registerPythonModel(PythonModel model) {
    synchronized (lock) {
      TrackingStore.Experiment experiment;
      try {
        experiment = tracking.experimentByName(model.experimentName());
      } catch (MlflowError absent) {
        experiment = tracking.createExperiment(model.experimentName(), null, Map.of());
      }
      TrackingStore.Run run =
          tracking.createRun(experiment.id, null, "python-user", null, Map.of());
      String modelUri = run.artifactUri + "/model";
      String modelDir = relativeArtifactPath(modelUri);
      model.files(run.id).forEach((name, bytes) -> artifacts.write(modelDir + "/" + name, bytes));
      tracking.updateRun(run.id, "FINISHED", System.currentTimeMillis(), null);
      try {
        registry.get(model.registeredModelName());
      } catch (MlflowError absent) {
        registry.create(model.registeredModelName(), null, Map.of());
      }
      RegistryStore.ModelVersion version =
          registry.createVersion(
              model.registeredModelName(), modelUri, run.id, null, null, Map.of());
      return new RegisteredModelVersion(version.name, version.version, run.id, modelUri);
    }
  }

  /**
   * Points {@code alias} of a registered model at a version (as {@code
   * set_registered_model_alias}).
   */
  public void setAlias(String registeredModelName, String alias, String version) {
    synchronized (lock) {
      registry.setAlias(registeredModelName, alias, version);
    }
  }

  private String relativeArtifactPath(String artifactUri) {
    if (artifactUri.startsWith("mlflow-artifacts:/")) {
      return artifactUri.substring("mlflow-artifacts:/".length());
    }
    Path path = Path.of(java.net.URI.create(artifactUri));
    return artifacts.root().relativize(path).toString().replace('\\', '/');
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary directory that could not be removed is not a test failure.
    }
  }

  private void registerRoutes() {
    route("GET", "experiments/get-by-name", this::getExperimentByName);
    route("GET", "experiments/get", this::getExperiment);
    route("POST", "experiments/create", this::createExperiment);
    route("POST", "runs/create", this::createRun);
    route("GET", "runs/get", fields -> runJson(tracking.run(fields.requiredString("run_id"))));
    route("POST", "runs/log-batch", this::logBatch);
    route("POST", "runs/log-metric", this::logMetric);
    route("POST", "runs/log-parameter", this::logParameter);
    route("POST", "runs/set-tag", this::setTag);
    route("POST", "runs/update", this::updateRun);
    route("GET", "metrics/get-history", this::metricHistory);
    route("POST", "registered-models/create", this::createRegisteredModel);
    route("GET", "registered-models/get", this::getRegisteredModel);
    route("POST", "model-versions/create", this::createModelVersion);
    route("GET", "model-versions/get", this::getModelVersion);
    route("GET", "model-versions/get-download-uri", this::getDownloadUri);
    route("GET", "registered-models/alias", this::getVersionByAlias);
    route("POST", "registered-models/alias", this::setAliasRoute);
  }

  private void route(String method, String endpoint, Function<RequestFields, ObjectNode> handler) {
    routes.put(method + " " + API + endpoint, handler);
  }

  private ObjectNode getExperimentByName(RequestFields fields) {
    return experimentJson(tracking.experimentByName(fields.requiredString("experiment_name")));
  }

  private ObjectNode getExperiment(RequestFields fields) {
    return experimentJson(tracking.experiment(fields.requiredString("experiment_id")));
  }

  private static ObjectNode experimentJson(TrackingStore.Experiment experiment) {
    ObjectNode answer = JSON.objectNode();
    answer.set("experiment", experiment.toJson());
    return answer;
  }

  private ObjectNode createExperiment(RequestFields fields) {
    TrackingStore.Experiment experiment =
        tracking.createExperiment(
            fields.requiredString("name"),
            fields.optionalString("artifact_location"),
            TrackingStore.readKeyValues(fields.node("tags"), "tags"));
    return JSON.objectNode().put("experiment_id", experiment.id);
  }

  private ObjectNode createRun(RequestFields fields) {
    TrackingStore.Run run =
        tracking.createRun(
            fields.requiredString("experiment_id"),
            fields.optionalString("run_name"),
            fields.optionalString("user_id"),
            fields.optionalLong("start_time"),
            TrackingStore.readKeyValues(fields.node("tags"), "tags"));
    return runJson(run);
  }

  private static ObjectNode runJson(TrackingStore.Run run) {
    ObjectNode answer = JSON.objectNode();
    answer.set("run", run.toJson());
    return answer;
  }

  private ObjectNode logBatch(RequestFields fields) {
    String runId = fields.requiredString("run_id");
    List<TrackingStore.Metric> metrics = new ArrayList<>();
    JsonNode metricNodes = fields.node("metrics");
    if (metricNodes != null) {
      if (!metricNodes.isArray()) {
        throw RequestFields.invalidType("metrics", metricNodes, "array");
      }
      for (JsonNode node : metricNodes) {
        metrics.add(readMetric(RequestFields.ofBody(node)));
      }
    }
    tracking.logBatch(
        runId,
        metrics,
        TrackingStore.readKeyValues(fields.node("params"), "params"),
        TrackingStore.readKeyValues(fields.node("tags"), "tags"));
    return JSON.objectNode();
  }

  private static TrackingStore.Metric readMetric(RequestFields fields) {
    String key = fields.requiredString("key");
    JsonNode value = fields.node("value");
    if (value == null) {
      throw MlflowError.missing("value");
    }
    double number;
    if (value.isNumber()) {
      number = value.doubleValue();
    } else if (value.isTextual()
        && List.of("NaN", "Infinity", "-Infinity").contains(value.asText())) {
      number = Double.parseDouble(value.asText());
    } else {
      throw RequestFields.invalidType("value", value, "float");
    }
    long timestamp = fields.requiredLong("timestamp");
    Long step = fields.optionalLong("step");
    return new TrackingStore.Metric(key, number, timestamp, step == null ? 0 : step);
  }

  private ObjectNode logMetric(RequestFields fields) {
    String runId = fields.requiredString("run_id");
    tracking.logBatch(runId, List.of(readMetric(fields)), Map.of(), Map.of());
    return JSON.objectNode();
  }

  private ObjectNode logParameter(RequestFields fields) {
    String runId = fields.requiredString("run_id");
    String key = fields.requiredString("key");
    String value = fields.optionalString("value");
    tracking.logBatch(runId, List.of(), Map.of(key, value == null ? "" : value), Map.of());
    return JSON.objectNode();
  }

  private ObjectNode setTag(RequestFields fields) {
    String runId = fields.requiredString("run_id");
    String key = fields.requiredString("key");
    String value = fields.optionalString("value");
    tracking.logBatch(runId, List.of(), Map.of(), Map.of(key, value == null ? "" : value));
    return JSON.objectNode();
  }

  private ObjectNode updateRun(RequestFields fields) {
    TrackingStore.Run run =
        tracking.updateRun(
            fields.requiredString("run_id"),
            fields.optionalString("status"),
            fields.optionalLong("end_time"),
            fields.optionalString("run_name"));
    ObjectNode answer = JSON.objectNode();
    answer.set("run_info", run.infoJson());
    return answer;
  }

  private ObjectNode metricHistory(RequestFields fields) {
    ObjectNode answer = JSON.objectNode();
    List<TrackingStore.Metric> history =
        tracking.metricHistory(
            fields.requiredString("run_id"), fields.requiredString("metric_key"));
    if (!history.isEmpty()) {
      ArrayNode array = answer.putArray("metrics");
      history.forEach(metric -> array.add(metric.toJson()));
    }
    return answer;
  }

  private ObjectNode createRegisteredModel(RequestFields fields) {
    RegistryStore.RegisteredModel model =
        registry.create(
            fields.requiredString("name"),
            fields.optionalString("description"),
            TrackingStore.readKeyValues(fields.node("tags"), "tags"));
    ObjectNode answer = JSON.objectNode();
    answer.set("registered_model", model.toJson());
    return answer;
  }

  private ObjectNode getRegisteredModel(RequestFields fields) {
    ObjectNode answer = JSON.objectNode();
    answer.set("registered_model", registry.get(fields.requiredString("name")).toJson());
    return answer;
  }

  private ObjectNode createModelVersion(RequestFields fields) {
    String name = fields.requiredString("name");
    String source = fields.requiredString("source");
    String runId = fields.optionalString("run_id");
    if (runId != null) {
      tracking.run(runId);
    }
    RegistryStore.ModelVersion version =
        registry.createVersion(
            name,
            source,
            runId,
            fields.optionalString("run_link"),
            fields.optionalString("description"),
            TrackingStore.readKeyValues(fields.node("tags"), "tags"));
    return versionJson(version);
  }

  private ObjectNode versionJson(RegistryStore.ModelVersion version) {
    ObjectNode answer = JSON.objectNode();
    answer.set("model_version", version.toJson(registry.get(version.name)));
    return answer;
  }

  private ObjectNode getModelVersion(RequestFields fields) {
    return versionJson(
        registry.version(fields.requiredString("name"), fields.requiredString("version")));
  }

  private ObjectNode getDownloadUri(RequestFields fields) {
    RegistryStore.ModelVersion version =
        registry.version(fields.requiredString("name"), fields.requiredString("version"));
    return JSON.objectNode().put("artifact_uri", version.source);
  }

  private ObjectNode getVersionByAlias(RequestFields fields) {
    return versionJson(
        registry.versionByAlias(fields.requiredString("name"), fields.requiredString("alias")));
  }

  private ObjectNode setAliasRoute(RequestFields fields) {
    registry.setAlias(
        fields.requiredString("name"),
        fields.requiredString("alias"),
        fields.requiredString("version"));
    return JSON.objectNode();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      synchronized (lock) {
        requests.add(
            new RecordedRequest(
                method, path, query == null ? "" : query, body, authorization, contentType));
      }
      if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"mlflow\"");
        send(
            exchange,
            401,
            "text/plain; charset=utf-8",
            NOT_AUTHENTICATED.getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        synchronized (lock) {
          answer(exchange, method, path, query, body, contentType);
        }
      } catch (MlflowError error) {
        ObjectNode json =
            JSON.objectNode()
                .put("error_code", error.errorCode())
                .put("message", error.getMessage());
        sendJson(exchange, error.status(), json);
      } catch (RuntimeException e) {
        ObjectNode json =
            JSON.objectNode().put("error_code", "INTERNAL_ERROR").put("message", String.valueOf(e));
        sendJson(exchange, 500, json);
      }
    }
  }

  private void answer(
      HttpExchange exchange,
      String method,
      String path,
      String query,
      byte[] body,
      String contentType)
      throws IOException {
    if (path.equals(ARTIFACTS) && method.equals("GET")) {
      Map<String, String> parameters = RecordedRequest.parseQuery(query);
      sendJson(exchange, 200, artifacts.list(parameters.get("path")));
      return;
    }
    if (path.startsWith(ARTIFACTS + "/")) {
      String artifactPath = path.substring(ARTIFACTS.length() + 1);
      switch (method) {
        case "GET" -> {
          byte[] content = artifacts.read(artifactPath);
          exchange
              .getResponseHeaders()
              .set(
                  "Content-Disposition",
                  "attachment; filename=" + Path.of(artifactPath).getFileName());
          send(exchange, 200, "application/octet-stream", content);
        }
        case "PUT" -> {
          artifacts.write(artifactPath, body);
          sendJson(exchange, 200, JSON.objectNode());
        }
        default -> sendNotFound(exchange, 405, "Method Not Allowed");
      }
      return;
    }
    Function<RequestFields, ObjectNode> handler = routes.get(method + " " + path);
    if (handler == null) {
      boolean otherMethod = routes.keySet().stream().anyMatch(key -> key.endsWith(" " + path));
      sendNotFound(
          exchange, otherMethod ? 405 : 404, otherMethod ? "Method Not Allowed" : "Not Found");
      return;
    }
    RequestFields fields;
    if (method.equals("GET")) {
      fields = RequestFields.ofQuery(RecordedRequest.parseQuery(query));
    } else {
      fields = RequestFields.ofBody(readJsonBody(body, contentType));
    }
    sendJson(exchange, 200, handler.apply(fields));
  }

  /** MLflow's handlers insist on a JSON content type for POST, then parse the body. */
  private static JsonNode readJsonBody(byte[] body, String contentType) {
    if (contentType == null) {
      throw MlflowError.invalidParameter("Bad Request. Content-Type header is missing.");
    }
    if (!contentType.split(";")[0].trim().equals("application/json")) {
      throw MlflowError.invalidParameter(
          "Bad Request. Content-Type must be one of ['application/json'].");
    }
    if (body.length == 0) {
      return JSON.objectNode();
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw MlflowError.badRequest("Malformed request: the body is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw MlflowError.badRequest("Malformed request: the body is not valid JSON");
    }
  }

  private static void sendNotFound(HttpExchange exchange, int status, String title)
      throws IOException {
    // Flask's own page for a route it does not have: HTML, not MLflow's JSON error.
    String html =
        "<!doctype html>\n<html lang=en>\n<title>"
            + status
            + " "
            + title
            + "</title>\n<h1>"
            + title
            + "</h1>\n";
    send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode json)
      throws IOException {
    send(exchange, status, "application/json", MAPPER.writeValueAsBytes(json));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
