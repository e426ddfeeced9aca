package io.modelplane.server.integration.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelplane.server.config.AirflowApiVersion;
import io.modelplane.server.config.AirflowConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airflow's stable REST API: {@code /api/v2} (Airflow 3, bearer token from {@code /auth/token} or a
 * static token) or {@code /api/v1} (Airflow 2, basic auth or a static token).
 */
public final class HttpAirflowClient implements AirflowClient {
  private static final Logger LOG = LoggerFactory.getLogger(HttpAirflowClient.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AirflowConfig config;
  private final HttpClient http;
  private final ObjectMapper json;
  private volatile String sessionToken;

  public HttpAirflowClient(AirflowConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public void triggerDagRun(String dagId, String dagRunId, Map<String, Object> conf) {
    ObjectNode body = json.createObjectNode();
    body.put("dag_run_id", dagRunId);
    if (config.apiVersion() == AirflowApiVersion.V2) {
      body.putNull("logical_date"); // required (nullable) in Airflow 3
    }
    body.set("conf", json.valueToTree(conf));
    HttpResponse<String> response = send("POST", dagRunsPath(dagId), body);
    if (response.statusCode() == 409) {
      LOG.info("Airflow already has DAG run {} of {}: counted as triggered", dagRunId, dagId);
      return;
    }
    expectSuccess(response, "trigger DAG " + dagId);
    LOG.info("Triggered Airflow DAG run {} of {}", dagRunId, dagId);
  }

  @Override
  public Optional<String> dagRunState(String dagId, String dagRunId) {
    HttpResponse<String> response = send("GET", dagRunPath(dagId, dagRunId), null);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expectSuccess(response, "read DAG run " + dagRunId);
    return Optional.ofNullable(readJson(response).path("state").asText(null));
  }

  @Override
  public void markDagRunFailed(String dagId, String dagRunId) {
    ObjectNode body = json.createObjectNode().put("state", "failed");
    HttpResponse<String> response = send("PATCH", dagRunPath(dagId, dagRunId), body);
    if (response.statusCode() == 404) {
      return;
    }
    expectSuccess(response, "mark DAG run " + dagRunId + " failed");
  }

  @Override
  public void setPaused(String dagId, boolean paused) {
    ObjectNode body = json.createObjectNode().put("is_paused", paused);
    HttpResponse<String> response = send("PATCH", dagPath(dagId) + "?update_mask=is_paused", body);
    expectSuccess(response, (paused ? "pause" : "unpause") + " DAG " + dagId);
    LOG.info("Airflow DAG {} {}", dagId, paused ? "paused" : "unpaused");
  }

  @Override
  public void deleteDag(String dagId) {
    HttpResponse<String> response = send("DELETE", dagPath(dagId), null);
    if (response.statusCode() == 404) {
      return;
    }
    expectSuccess(response, "delete DAG " + dagId);
    LOG.info("Airflow DAG {} deleted", dagId);
  }

  @Override
  public URI dagUrl(String dagId) {
    return URI.create(config.uiUrl() + "/dags/" + encode(dagId));
  }

  private String dagPath(String dagId) {
    return "/api/" + config.apiVersion().pathSegment() + "/dags/" + encode(dagId);
  }

  private String dagRunsPath(String dagId) {
    return dagPath(dagId) + "/dagRuns";
  }

  private String dagRunPath(String dagId, String dagRunId) {
    return dagRunsPath(dagId) + "/" + encode(dagRunId);
  }

  private HttpResponse<String> send(String method, String path, JsonNode body) {
    HttpResponse<String> response = sendOnce(method, path, body, false);
    if (usesSessionToken() && isStaleToken(response)) {
      LOG.info("Airflow no longer accepts its session token: renewing it once");
      response = sendOnce(method, path, body, true);
    }
    return response;
  }

  /**
   * Whether Airflow refused the session token itself: 401 when it expired, and 403 "Invalid JWT
   * token" when Airflow can no longer verify it (its signing key changed, e.g. after a restart).
   * Any other 403 is a real refusal and is not retried.
   */
  private boolean isStaleToken(HttpResponse<String> response) {
    if (response.statusCode() == 401) {
      return true;
    }
    if (response.statusCode() != 403) {
      return false;
    }
    return detailOf(response).toLowerCase(java.util.Locale.ROOT).contains("invalid jwt");
  }

  /**
   * Airflow's reason: {@code detail} as text, or the {@code message} or {@code reason} of an object
   * {@code detail} (Airflow 3 answers a conflict with {@code {"detail": {"reason": …, "message": …,
   * "statement": …}}}; the SQL statement is never repeated), or the {@code title}.
   */
  private String detailOf(HttpResponse<String> response) {
    try {
      JsonNode body = json.readTree(response.body());
      JsonNode detail = body.path("detail");
      if (detail.isTextual()) {
        return detail.asText();
      }
      if (detail.isObject()) {
        String text = detail.path("message").asText(detail.path("reason").asText(""));
        if (!text.isBlank()) {
          return text;
        }
      }
      if (detail.isArray() && detail.size() > 0) {
        return detail.get(0).path("msg").asText("");
      }
      return body.path("title").asText("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private HttpResponse<String> sendOnce(String method, String path, JsonNode body, boolean renew) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json");
    authorization(renew).ifPresent(value -> request.header("Authorization", value));
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return execute(request.build());
  }

  private HttpResponse<String> execute(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AirflowException(
          "Airflow is unreachable at "
              + config.baseUrl()
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AirflowException("interrupted while calling Airflow", e);
    }
  }

  private boolean usesSessionToken() {
    return config.apiVersion() == AirflowApiVersion.V2
        && config.token().isEmpty()
        && config.username().isPresent();
  }

  private Optional<String> authorization(boolean renew) {
    if (config.token().isPresent()) {
      return Optional.of("Bearer " + config.token().get());
    }
    if (config.username().isEmpty()) {
      return Optional.empty();
    }
    if (config.apiVersion() == AirflowApiVersion.V1) {
      String pair = config.username().get() + ":" + config.password().orElse("");
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    String token = sessionToken;
    if (token == null || renew) {
      token = fetchSessionToken();
      sessionToken = token;
    }
    return Optional.of("Bearer " + token);
  }

  private String fetchSessionToken() {
    ObjectNode credentials =
        json.createObjectNode()
            .put("username", config.username().get())
            .put("password", config.password().orElse(""));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + "/auth/token"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(credentials.toString()))
            .build();
    HttpResponse<String> response = execute(request);
    expectSuccess(response, "obtain an API token");
    String token = readJson(response).path("access_token").asText(null);
    if (token == null) {
      throw new AirflowException(response.statusCode(), "Airflow returned no access_token");
    }
    return token;
  }

  private void expectSuccess(HttpResponse<String> response, String action) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    throw new AirflowException(
        status, "Airflow refused to " + action + ": HTTP " + status + explanation(response));
  }

  /** Airflow's own short reason, if it gave one. */
  private String explanation(HttpResponse<String> response) {
    String text = detailOf(response);
    return text.isBlank() ? "" : " (" + truncate(text, 300) + ")";
  }

  private JsonNode readJson(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new AirflowException(response.statusCode(), "Airflow answered with invalid JSON");
    }
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
