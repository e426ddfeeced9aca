package io.modelplane.server.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.modelplane.server.config.MlflowConfig;

/**
 * WireMock on a free port standing in for MLflow's model registry REST API: {@code GET
 * /api/2.0/mlflow/model-versions/get} is 200 with the version for the versions a test registers and
 * 404 {@code RESOURCE_DOES_NOT_EXIST} for every other; {@code GET
 * /api/2.0/mlflow/registered-models/alias} is 200 with the version an alias points at.
 */
public final class WireMockMlflow extends WireMockServer {
  private static final String MODEL_VERSION = "/api/2.0/mlflow/model-versions/get";

  public WireMockMlflow() {
    super(options().dynamicPort());
  }

  /** The server setting for this stand-in, without a token. */
  public MlflowConfig config() {
    return TestServer.mlflow(baseUrl());
  }

  /** Forgets earlier stubs and requests; then no model version exists. */
  public WireMockMlflow resetToNoVersions() {
    resetAll();
    stubFor(
        get(urlPathEqualTo(MODEL_VERSION))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\"}")));
    return this;
  }

  /** Registers {@code versions} of {@code model}. */
  public WireMockMlflow withVersions(String model, String... versions) {
    for (String version : versions) {
      stubFor(
          get(urlEqualTo(MODEL_VERSION + "?name=" + model + "&version=" + version))
              .atPriority(1)
              .willReturn(okJson(modelVersion(model, version, ""))));
    }
    return this;
  }

  /** Points {@code alias} of {@code model} at {@code version}. */
  public WireMockMlflow withAlias(String model, String alias, String version) {
    stubFor(
        get(urlEqualTo("/api/2.0/mlflow/registered-models/alias?name=" + model + "&alias=" + alias))
            .willReturn(okJson(modelVersion(model, version, ",\"aliases\":[\"" + alias + "\"]"))));
    return this;
  }

  private static String modelVersion(String model, String version, String more) {
    return "{\"model_version\":{\"name\":\""
        + model
        + "\",\"version\":\""
        + version
        + "\""
        + more
        + "}}";
  }
}
