package io.modelplane.server.integration.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.config.MlflowConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * MLflow's model registry REST API: {@code model-versions/get} to check a pinned version and {@code
 * registered-models/alias} to resolve an alias. Authenticates with a bearer token or with HTTP
 * Basic (MLflow's own auth app); an unknown model, version or alias is "not found", whether MLflow
 * says so with 404 {@code RESOURCE_DOES_NOT_EXIST} or, as it does for an alias, 400 {@code
 * INVALID_PARAMETER_VALUE}.
 */
public final class HttpMlflowClient implements ModelRegistry {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI baseUrl;
  private final Optional<String> authorization;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpMlflowClient(MlflowConfig config, ObjectMapper json) {
    this.baseUrl = config.baseUrl();
    this.authorization = authorization(config);
    this.json = json;
  }

  private static Optional<String> authorization(MlflowConfig config) {
    if (config.token().isPresent()) {
      return Optional.of("Bearer " + config.token().get());
    }
    return config
        .username()
        .map(
            user ->
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (user + ":" + config.password().orElseThrow())
                                .getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public boolean versionExists(String modelName, String version) {
    HttpResponse<String> response =
        get(
            "/api/2.0/mlflow/model-versions/get?name="
                + encode(modelName)
                + "&version="
                + encode(version));
    if (isNotFound(response)) {
      return false;
    }
    expectSuccess(response);
    return true;
  }

  @Override
  public Optional<String> resolveAlias(String modelName, String alias) {
    HttpResponse<String> response =
        get(
            "/api/2.0/mlflow/registered-models/alias?name="
                + encode(modelName)
                + "&alias="
                + encode(alias));
    if (isNotFound(response)) {
      return Optional.empty();
    }
    expectSuccess(response);
    try {
      JsonNode version = json.readTree(response.body()).path("model_version").path("version");
      return version.isMissingNode() || version.isNull()
          ? Optional.empty()
          : Optional.of(version.asText());
    } catch (IOException e) {
      throw new RegistryUnavailableException("MLflow answered with invalid JSON");
    }
  }

  private HttpResponse<String> get(String pathAndQuery) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET();
    authorization.ifPresent(value -> request.header("Authorization", value));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "MLflow is unreachable at " + baseUrl + " (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while calling MLflow", e);
    }
  }

  /** MLflow answers 404 with error_code RESOURCE_DOES_NOT_EXIST for unknown models/versions. */
  private boolean isNotFound(HttpResponse<String> response) {
    if (response.statusCode() == 404) {
      return true;
    }
    if (response.statusCode() == 400) {
      try {
        String code = json.readTree(response.body()).path("error_code").asText("");
        return code.equals("RESOURCE_DOES_NOT_EXIST") || code.equals("INVALID_PARAMETER_VALUE");
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  private static void expectSuccess(HttpResponse<String> response) {
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      throw new RegistryUnavailableException("MLflow answered HTTP " + response.statusCode());
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
