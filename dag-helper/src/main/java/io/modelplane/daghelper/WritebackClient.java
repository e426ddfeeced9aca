package io.modelplane.daghelper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Execution;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Posts status writebacks to a Modelplane server with the platform (or a user) PSK, retrying
 * network errors, HTTP 429 and 5xx (but not 501 Not Implemented, which no retry can fix) as its
 * {@link RetryPolicy} says. Both endpoints are idempotent (the training status is a PUT; a run
 * callback is an upsert keyed by {@code airflow_run_id}), so a retry after a lost response is safe.
 *
 * <p>Thread-safe. The PSK is only ever put in the {@code Authorization-PSK} request header; it is
 * never part of an exception message or of a log line.
 */
public final class WritebackClient {

  /** The header that carries the PSK. */
  public static final String PSK_HEADER = "Authorization-PSK";

  /** The longest {@code error_message} the server accepts; longer ones are truncated. */
  public static final int MAX_ERROR_MESSAGE = 8000;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final int MAX_BODY_IN_MESSAGE = 500;
  private static final String VERSION = loadVersion();

  private final String baseUrl;
  private final String psk;
  private final RetryPolicy retryPolicy;
  private final dev.failsafe.RetryPolicy<Object> retries;
  private final Consumer<String> log;
  private final HttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * Creates a client that logs its retries to standard error.
   *
   * @param baseUrl the server's base URL, e.g. {@code https://modelplane.example.com}
   * @param psk the PSK sent as {@code Authorization-PSK}
   * @param retryPolicy how long and how often to retry
   */
  public WritebackClient(String baseUrl, String psk, RetryPolicy retryPolicy) {
    this(baseUrl, psk, retryPolicy, System.err::println);
  }

  /**
   * Creates a client.
   *
   * @param baseUrl the server's base URL, e.g. {@code https://modelplane.example.com}
   * @param psk the PSK sent as {@code Authorization-PSK}
   * @param retryPolicy how long and how often to retry
   * @param log receives one line per retry (never containing the PSK)
   * @throws IllegalArgumentException when the URL is not an http(s) URL or the PSK is blank
   */
  public WritebackClient(
      String baseUrl, String psk, RetryPolicy retryPolicy, Consumer<String> log) {
    this.baseUrl = validateBaseUrl(baseUrl);
    if (psk == null || psk.isBlank()) {
      throw new IllegalArgumentException("a PSK is required");
    }
    this.psk = psk;
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.retries = retryPolicy.failsafe();
    this.log = Objects.requireNonNull(log, "log");
    Duration connectTimeout =
        retryPolicy.deadline().compareTo(CONNECT_TIMEOUT) < 0
            ? retryPolicy.deadline()
            : CONNECT_TIMEOUT;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
  }

  /**
   * Creates a client from {@code MODELPLANE_URL} and {@code MODELPLANE_PSK} with the default {@link
   * RetryPolicy}.
   *
   * @return a client
   * @throws IllegalStateException when a variable is missing or invalid
   */
  public static WritebackClient fromEnvironment() {
    Map<String, String> env = System.getenv();
    String url = env.get("MODELPLANE_URL");
    String psk = env.get("MODELPLANE_PSK");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("MODELPLANE_URL is not set");
    }
    if (psk == null || psk.isBlank()) {
      throw new IllegalStateException("MODELPLANE_PSK is not set");
    }
    try {
      return new WritebackClient(url, psk, RetryPolicy.defaults());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("MODELPLANE_URL: " + e.getMessage(), e);
    }
  }

  /**
   * {@code PUT /api/automl/train/jobs/{jobId}/status}: a training job status writeback.
   *
   * @param jobId the training job's id
   * @param status the new status, e.g. {@code running}, {@code complete}, {@code failed}
   * @param mlflowRunId the MLflow run, or {@code null}
   * @param registeredModelName the registered model, or {@code null}
   * @param errorMessage why it failed (truncated to {@value #MAX_ERROR_MESSAGE} characters), or
   *     {@code null}
   * @return the job as the server now has it
   * @throws WritebackRejectedException when the server rejects the writeback
   * @throws ServerUnreachableException when the retry deadline passed
   */
  public JsonNode updateTrainingStatus(
      String jobId,
      String status,
      String mlflowRunId,
      String registeredModelName,
      String errorMessage) {
    ObjectNode body = mapper.createObjectNode();
    body.put("status", Objects.requireNonNull(status, "status"));
    putIfNotNull(body, "mlflow_run_id", mlflowRunId);
    putIfNotNull(body, "registered_model_name", registeredModelName);
    putIfNotNull(body, "error_message", truncate(errorMessage));
    return send("PUT", "/api/automl/train/jobs/" + pathSegment(jobId) + "/status", body);
  }

  /**
   * {@code PUT /api/jobs/{jobId}/status}: a data-engineering job status writeback.
   *
   * @param jobId the job's id
   * @param status the new status, e.g. {@code running}, {@code completed}, {@code failed}
   * @param statusMessage a message (truncated to {@value #MAX_ERROR_MESSAGE} characters), or {@code
   *     null}
   * @return the job as the server now has it
   * @throws WritebackRejectedException when the server rejects the writeback
   * @throws ServerUnreachableException when the retry deadline passed
   */
  public JsonNode updateJobStatus(String jobId, String status, String statusMessage) {
    ObjectNode body = mapper.createObjectNode();
    body.put("status", Objects.requireNonNull(status, "status"));
    putIfNotNull(body, "status_message", truncate(statusMessage));
    return send("PUT", "/api/jobs/" + pathSegment(jobId) + "/status", body);
  }

  /**
   * {@code POST /api/models/{model}/deployments/{deployment}/runs}: a batch run callback.
   *
   * @param model the MLflow registered model name
   * @param deployment the deployment's name
   * @param airflowRunId the Airflow DAG run id that identifies the run
   * @param status the run's status, e.g. {@code running}, {@code succeeded}, {@code failed}
   * @param rowsScored how many rows were scored, or {@code null}
   * @param errorMessage why it failed (truncated to {@value #MAX_ERROR_MESSAGE} characters), or
   *     {@code null}
   * @return the run as the server now has it
   * @throws WritebackRejectedException when the server rejects the callback
   * @throws ServerUnreachableException when the retry deadline passed
   */
  public JsonNode recordRun(
      String model,
      String deployment,
      String airflowRunId,
      String status,
      Long rowsScored,
      String errorMessage) {
    ObjectNode body = mapper.createObjectNode();
    body.put("airflow_run_id", Objects.requireNonNull(airflowRunId, "airflowRunId"));
    body.put("status", Objects.requireNonNull(status, "status"));
    if (rowsScored != null) {
      body.put("rows_scored", rowsScored);
    }
    putIfNotNull(body, "error_message", truncate(errorMessage));
    return send(
        "POST",
        "/api/models/" + pathSegment(model) + "/deployments/" + pathSegment(deployment) + "/runs",
        body);
  }

  /** The User-Agent sent with every request. */
  static String userAgent() {
    return "modelplane-dag-helper/" + VERSION;
  }

  /** The version of this library, from the build. */
  static String version() {
    return VERSION;
  }

  JsonNode send(String method, String path, ObjectNode body) {
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    long start = System.nanoTime();
    long deadline = start + retryPolicy.deadline().toNanos();
    Execution<Object> execution = Execution.of(retries);
    for (int attempt = 1; ; attempt++) {
      String problem;
      IOException networkError = null;
      Duration retryAfter = null;
      try {
        HttpResponse<String> response =
            http.send(request(method, path, json, deadline), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return parse(response.body());
        }
        if (status != 429 && status < 500 || status == 501) {
          throw new WritebackRejectedException(
              status,
              serverMessages(response.body()),
              response.headers().firstValue("X-Request-Id").orElse(null));
        }
        problem = "HTTP " + status;
        retryAfter = retryAfter(response);
      } catch (IOException e) {
        networkError = e;
        problem = describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServerUnreachableException("interrupted while sending " + method + " " + path, e);
      }

      execution.recordResult(problem);
      long remaining = deadline - System.nanoTime();
      if (execution.isComplete() || remaining <= 0) {
        throw new ServerUnreachableException(
            String.format(
                "gave up on %s %s after %d attempts in %d s; last: %s",
                method,
                baseUrl + path,
                attempt,
                Duration.ofNanos(System.nanoTime() - start).toSeconds(),
                problem),
            networkError);
      }
      Duration wait = execution.getDelay();
      if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
        wait = retryAfter;
      }
      if (wait.toNanos() > remaining) {
        wait = Duration.ofNanos(remaining);
      }
      log.accept(
          String.format(
              "modelplane-dag-helper: %s %s failed: %s; retry %d in %d ms",
              method, baseUrl + path, problem, attempt, wait.toMillis()));
      try {
        Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServerUnreachableException("interrupted while sending " + method + " " + path, e);
      }
    }
  }

  /**
   * A network error in words: its first message in the cause chain, or a phrase for the type (the
   * JDK's HTTP client throws a {@code ConnectException} without a message for a refused
   * connection), and the type, e.g. {@code connection refused or host unreachable
   * (ConnectException)}.
   */
  static String describe(IOException e) {
    String message = null;
    String phrase = null;
    Throwable t = e;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
      if (phrase == null) {
        if (t instanceof java.net.ConnectException) {
          phrase = "connection refused or host unreachable";
        } else if (t instanceof java.nio.channels.UnresolvedAddressException
            || t instanceof java.net.UnknownHostException) {
          phrase = "unknown host";
        } else if (t instanceof java.net.http.HttpTimeoutException) {
          phrase = "timed out";
        } else if (t instanceof java.io.EOFException) {
          phrase = "the connection was closed before a response arrived";
        }
      }
    }
    String what = message != null ? message : phrase != null ? phrase : "network error";
    return what + " (" + e.getClass().getSimpleName() + ")";
  }

  private HttpRequest request(String method, String path, byte[] json, long deadline) {
    Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    Duration timeout = REQUEST_TIMEOUT;
    if (remaining.compareTo(timeout) < 0) {
      timeout = remaining.compareTo(MIN_REQUEST_TIMEOUT) < 0 ? MIN_REQUEST_TIMEOUT : remaining;
    }
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(timeout)
        .header(PSK_HEADER, psk)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("User-Agent", userAgent())
        .method(method, HttpRequest.BodyPublishers.ofByteArray(json))
        .build();
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return mapper.nullNode();
    }
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException notJson) {
      return mapper.getNodeFactory().textNode(body);
    }
  }

  /** The server's {@code error}, or its {@code detail} items as {@code "loc: msg"}. */
  List<String> serverMessages(String body) {
    if (body == null || body.isBlank()) {
      return List.of();
    }
    JsonNode json = parse(body);
    if (json.path("error").isTextual()) {
      return List.of(json.path("error").asText());
    }
    JsonNode detail = json.path("detail");
    if (detail.isTextual()) {
      return List.of(detail.asText());
    }
    if (detail.isArray()) {
      List<String> messages = new ArrayList<>();
      for (JsonNode item : detail) {
        List<String> loc = new ArrayList<>();
        item.path("loc").forEach(l -> loc.add(l.asText()));
        String msg = item.path("msg").asText("");
        messages.add(loc.isEmpty() ? msg : String.join(".", loc) + ": " + msg);
      }
      return messages;
    }
    String snippet = body.strip();
    return List.of(
        snippet.length() > MAX_BODY_IN_MESSAGE
            ? snippet.substring(0, MAX_BODY_IN_MESSAGE) + "…"
            : snippet);
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.strip().matches("\\d{1,6}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.strip())))
        .orElse(null);
  }

  private static void putIfNotNull(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static String truncate(String message) {
    if (message == null || message.length() <= MAX_ERROR_MESSAGE) {
      return message;
    }
    return message.substring(0, MAX_ERROR_MESSAGE - 1) + "…";
  }

  /** Percent-encodes one path segment (RFC 3986: everything but unreserved characters). */
  static String pathSegment(String value) {
    Objects.requireNonNull(value, "path segment");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a path segment must not be empty");
    }
    if (value.equals(".") || value.equals("..")) {
      return value.replace(".", "%2E");
    }
    // URLEncoder is form encoding: fix the places where it differs from path encoding.
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static String validateBaseUrl(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("a base URL is required");
    }
    String url = baseUrl.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the base URL is not a valid URL");
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      throw new IllegalArgumentException("the base URL must be an http(s) URL with a host");
    }
    return url;
  }

  private static String loadVersion() {
    try (InputStream in = WritebackClient.class.getResourceAsStream("dag-helper.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
