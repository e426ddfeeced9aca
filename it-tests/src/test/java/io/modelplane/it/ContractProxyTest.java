package io.modelplane.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.ModelplaneException;
import io.modelplane.client.RetryPolicy;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.HealthPing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ContractProxy} in front of a WireMock "server" that answers what a test tells it to: a
 * deliberately wrong response field reaches the SDK unnoticed (it ignores unknown fields), but the
 * proxy records it and {@link ContractProxy#assertNoViolations()} fails. Runs in the unit-test
 * phase.
 */
class ContractProxyTest {

  private WireMockServer upstream;
  private ContractProxy proxy;
  private ModelplaneClient client;

  @BeforeEach
  void start() {
    upstream = new WireMockServer(options().dynamicPort());
    upstream.start();
    proxy = ContractProxy.start(upstream.baseUrl());
    client =
        ModelplaneClient.builder()
            .baseUrl(proxy.baseUrl())
            .psk("contract-proxy-test-psk")
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop();
  }

  @Test
  void aDeliberatelyWrongResponseFieldPassesTheSdkButFailsTheContractCheck() {
    upstream.stubFor(
        get(urlEqualTo("/api/health/ping"))
            .willReturn(
                okJson(
                    "{\"status\":\"ok\",\"version\":\"1\",\"build_number\":\"2\","
                        + "\"uptime_seconds\":5}")));

    HealthPing ping = client.ping();

    assertThat(ping.getStatus()).isEqualTo("ok");
    assertThat(proxy.violations()).singleElement().asString().contains("uptime_seconds");
    assertThatThrownBy(proxy::assertNoViolations)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /api/health/ping → 200")
        .hasMessageContaining("uptime_seconds");
    proxy.assertNoViolations(); // reported once, then forgotten
  }

  @Test
  void aWrongEnumValueIsReadAsUnknownByTheSdkButFailsTheContractCheck() {
    String jobId = OpenApiContractTest.JOB_ID;
    upstream.stubFor(
        get(urlEqualTo("/api/automl/train/jobs/" + jobId))
            .willReturn(okJson(OpenApiContractTest.validJob("done"))));

    AutoMLTrainingJobResponse job = client.trainingJobs().get(UUID.fromString(jobId));

    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.UNKNOWN_DEFAULT_OPEN_API);
    assertThatThrownBy(proxy::assertNoViolations).hasMessageContaining("done");
  }

  @Test
  void aCorrectExchangeIsPassedOnUnchangedWithItsHeaders() {
    String jobId = OpenApiContractTest.JOB_ID;
    upstream.stubFor(
        get(urlEqualTo("/api/automl/train/jobs/" + jobId))
            .willReturn(
                okJson(OpenApiContractTest.validJob("running"))
                    .withHeader("X-Request-Id", "req-123")));

    AutoMLTrainingJobResponse job = client.trainingJobs().get(UUID.fromString(jobId));

    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.RUNNING);
    assertThat(proxy.exchanges()).isEqualTo(1);
    assertThat(proxy.count(200)).isEqualTo(1);
    proxy.assertNoViolations();
    assertThat(upstream.getAllServeEvents().get(0).getRequest().getHeader("Authorization-PSK"))
        .isEqualTo("contract-proxy-test-psk");
  }

  @Test
  void anInvalidRequestIsAViolationOnlyWhenTheServerAcceptsIt() throws Exception {
    String invalid =
        "{\"name\":\"x\",\"domain\":\"d\",\"owner\":\"o\",\"source_table\":\"s.t\","
            + "\"problem_type\":\"astrology\"}";
    upstream.stubFor(
        post(urlEqualTo("/api/automl/train/jobs"))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"detail\":[{\"loc\":[\"body\",\"problem_type\"],\"msg\":\"bad\","
                            + "\"type\":\"enum\"}]}")));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/api/automl/train/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(invalid))
            .build();

    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(422);
    proxy.assertNoViolations(); // refused: that is what the contract asks for

    upstream.stubFor(
        post(urlEqualTo("/api/automl/train/jobs"))
            .willReturn(okJson(OpenApiContractTest.validJob("ready")).withStatus(201)));
    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(201);
    assertThatThrownBy(proxy::assertNoViolations).hasMessageContaining("request");
  }

  @Test
  void anUpstreamThatDoesNotAnswerClosesTheClientsConnectionWithoutAViolation() {
    upstream.stop();

    assertThatThrownBy(() -> client.ping())
        .isInstanceOf(ModelplaneException.class)
        .satisfies(e -> assertThat(((ModelplaneException) e).getStatus()).isZero());
    assertThat(proxy.unanswered()).isPositive(); // java.net.http retries a GET once itself
    proxy.assertNoViolations();
  }
}
