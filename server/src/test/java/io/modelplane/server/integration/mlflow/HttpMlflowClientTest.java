package io.modelplane.server.integration.mlflow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.modelplane.server.config.ConfigException;
import io.modelplane.server.config.MlflowConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MLflow client against WireMock answering as MLflow's REST API does. */
class HttpMlflowClientTest {
  private static final String ALIAS = "/api/2.0/mlflow/registered-models/alias";
  private static final String VERSION = "/api/2.0/mlflow/model-versions/get";
  private final WireMockServer mlflow = new WireMockServer(options().dynamicPort());

  @BeforeEach
  void start() {
    mlflow.start();
    // MLflow answers an unknown alias with 400 INVALID_PARAMETER_VALUE, not 404.
    mlflow.stubFor(
        get(urlPathEqualTo(ALIAS))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Registered"
                            + " model alias champion not found.\"}")));
    mlflow.stubFor(
        get(urlPathEqualTo(VERSION))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Model Version"
                            + " (name=churn, version=9) not found\"}")));
    mlflow.stubFor(
        get(urlPathEqualTo(ALIAS))
            .withQueryParam("alias", equalTo("prod"))
            .atPriority(1)
            .willReturn(okJson("{\"model_version\":{\"name\":\"churn\",\"version\":\"7\"}}")));
  }

  @AfterEach
  void stop() {
    mlflow.stop();
  }

  private HttpMlflowClient client(MlflowConfig config) {
    return new HttpMlflowClient(config, new ObjectMapper());
  }

  private MlflowConfig config(
      Optional<String> token, Optional<String> user, Optional<String> password) {
    return new MlflowConfig(URI.create(mlflow.baseUrl()), token, user, password);
  }

  @Test
  void anUnknownAliasIsNotFoundAsMlflowAnswersIt() {
    HttpMlflowClient client =
        client(new MlflowConfig(URI.create(mlflow.baseUrl()), Optional.empty()));

    assertThat(client.resolveAlias("churn", "champion")).isEmpty();
    assertThat(client.resolveAlias("churn", "prod")).contains("7");
    assertThat(client.versionExists("churn", "9")).isFalse();
  }

  @Test
  void httpBasicCredentialsAreSentForMlflowsAuthApp() {
    client(config(Optional.empty(), Optional.of("modelplane"), Optional.of("s3cret:x")))
        .resolveAlias("churn", "prod");

    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("modelplane:s3cret:x".getBytes(StandardCharsets.UTF_8));
    mlflow.verify(
        getRequestedFor(urlPathEqualTo(ALIAS)).withHeader("Authorization", equalTo(basic)));
  }

  @Test
  void aBearerTokenOrNothing() {
    client(config(Optional.of("tok"), Optional.empty(), Optional.empty()))
        .resolveAlias("churn", "prod");
    mlflow.verify(
        getRequestedFor(urlPathEqualTo(ALIAS)).withHeader("Authorization", equalTo("Bearer tok")));
    mlflow.resetRequests();
    client(config(Optional.empty(), Optional.empty(), Optional.empty()))
        .resolveAlias("churn", "prod");
    mlflow.verify(getRequestedFor(urlPathEqualTo(ALIAS)).withHeader("Authorization", absent()));
  }

  @Test
  void credentialsComeAsAPairAndNotWithAToken() {
    assertThatThrownBy(() -> config(Optional.empty(), Optional.of("u"), Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MODELPLANE_MLFLOW_PASSWORD");
    assertThatThrownBy(() -> config(Optional.of("t"), Optional.of("u"), Optional.of("p")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MODELPLANE_MLFLOW_TOKEN");
    assertThat(config(Optional.empty(), Optional.of("u"), Optional.of("p")).toString())
        .doesNotContain("p]")
        .contains("basic user u");
  }

  @Test
  void aServerErrorIsUnavailableNotNotFound() {
    mlflow.stubFor(
        get(urlPathEqualTo(VERSION))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withBody("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\"}")));

    assertThatThrownBy(
            () ->
                client(new MlflowConfig(URI.create(mlflow.baseUrl()), Optional.empty()))
                    .versionExists("churn", "3"))
        .isInstanceOf(RegistryUnavailableException.class);
  }
}
