package io.modelplane.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.HealthPing;
import io.modelplane.client.model.ModelReference;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.SourceTable;
import io.modelplane.client.model.TargetTable;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelplaneClientTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final UUID JOB_ID = UUID.fromString("4b6f2c1e-8a52-4d7e-9a55-0c1f7d3e2a10");
  private static final String JOB_PATH = "/api/automl/train/jobs/" + JOB_ID;

  private ModelplaneClient client() {
    return ModelplaneClient.builder()
        .baseUrl(server.baseUrl() + "/")
        .psk("test-psk")
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void sendsPskAndVersionedUserAgent() {
    server.stubFor(
        get("/api/health/ping")
            .willReturn(
                okJson("{\"status\":\"ok\",\"version\":\"0.10.2\",\"build_number\":\"7\"}")));
    ModelplaneClient client = client();

    HealthPing ping = client.call(() -> client.systemApi().ping());

    assertThat(ping.getBuildNumber()).isEqualTo("7");
    assertThat(ModelplaneClient.version()).isNotBlank().isNotEqualTo("unknown");
    assertThat(client.userAgent()).isEqualTo("modelplane-client-sdk/" + ModelplaneClient.version());
    server.verify(
        getRequestedFor(urlEqualTo("/api/health/ping"))
            .withHeader("Authorization-PSK", equalTo("test-psk"))
            .withHeader("User-Agent", equalTo(client.userAgent()))
            .withoutHeader("Authorization"));
  }

  @Test
  void asksTheTokenSupplierForEveryRequest() {
    server.stubFor(
        get("/api/health/ping")
            .willReturn(okJson("{\"status\":\"ok\",\"version\":\"v\",\"build_number\":\"b\"}")));
    AtomicInteger n = new AtomicInteger();
    ModelplaneClient client =
        ModelplaneClient.builder()
            .baseUrl(server.baseUrl())
            .bearerToken(() -> "token-" + n.incrementAndGet())
            .build();

    client.call(() -> client.systemApi().ping());
    client.call(() -> client.systemApi().ping());

    server.verify(
        getRequestedFor(urlEqualTo("/api/health/ping"))
            .withHeader("Authorization", equalTo("Bearer token-1"))
            .withoutHeader("Authorization-PSK"));
    server.verify(
        getRequestedFor(urlEqualTo("/api/health/ping"))
            .withHeader("Authorization", equalTo("Bearer token-2")));
  }

  @Test
  void notFoundBecomesNotFoundExceptionWithServerMessageAndRequestId() {
    server.stubFor(
        get(JOB_PATH)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-Request-Id", "req-123")
                    .withBody(
                        "{\"error\":\"training job " + JOB_ID + " not found\",\"code\":404}")));
    ModelplaneClient client = client();

    assertThatThrownBy(() -> client.call(() -> client.trainingApi().getTrainingJob(JOB_ID)))
        .asInstanceOf(type(NotFoundException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(404);
              assertThat(e.getMessage()).isEqualTo("training job " + JOB_ID + " not found");
              assertThat(e.getRequestId()).contains("req-123");
            });
  }

  @Test
  void unprocessableBecomesValidationExceptionWithDetail() {
    server.stubFor(
        post("/api/models/churn/deployments")
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"detail":[
                          {"loc":["body","name"],"msg":"Field required","type":"missing"},
                          {"loc":["body","entity_columns",0],"msg":"String should match pattern",
                           "type":"string_pattern_mismatch","input":"1bad"}
                        ]}
                        """)));
    ModelplaneClient client = client();
    DeploymentCreate body =
        new DeploymentCreate()
            .name("")
            .model(new ModelReference().modelName("churn").modelVersion("1"))
            .source(new SourceTable().schema("s").table("t"))
            .target(new TargetTable().schema("s").table("p"))
            .entityColumns(List.of("1bad"))
            .domain("d")
            .owner("o");

    assertThatThrownBy(() -> client.deployments().create("churn", body))
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(422);
              assertThat(e.getDetail()).hasSize(2);
              assertThat(e.getDetail().get(0).getLoc()).containsExactly("body", "name");
              assertThat(e.getDetail().get(0).getType()).isEqualTo("missing");
              assertThat(e.getDetail().get(1).getLoc())
                  .containsExactly("body", "entity_columns", 0);
              assertThat(e.getMessage())
                  .contains("body.name: Field required")
                  .contains("body.entity_columns.0: String should match pattern");
            });
    // A 422 is final: not retried.
    server.verify(1, postRequestedFor(urlEqualTo("/api/models/churn/deployments")));
  }

  @ParameterizedTest
  @CsvSource({
    "401, io.modelplane.client.UnauthorizedException",
    "403, io.modelplane.client.ForbiddenException",
    "409, io.modelplane.client.ConflictException",
    "412, io.modelplane.client.ConflictException",
    "429, io.modelplane.client.ModelplaneException",
    "500, io.modelplane.client.ServerException",
    "503, io.modelplane.client.ServerException",
  })
  void statusesMapToTypedExceptions(int status, Class<?> expected) {
    server.stubFor(
        get(JOB_PATH)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"boom " + status + "\",\"code\":" + status + "}")));
    ModelplaneClient client = client();

    assertThatThrownBy(() -> client.call(() -> client.trainingApi().getTrainingJob(JOB_ID)))
        .isExactlyInstanceOf(expected)
        .hasMessage("boom " + status);
  }

  @Test
  void unreachableServerIsStatusZero() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ModelplaneClient client =
        ModelplaneClient.builder().baseUrl("http://127.0.0.1:" + port).psk("secret").build();

    assertThatThrownBy(() -> client.call(() -> client.systemApi().ping()))
        .isExactlyInstanceOf(ModelplaneException.class)
        .satisfies(e -> assertThat(((ModelplaneException) e).getStatus()).isZero())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
  }

  @Test
  void unknownEnumValueDoesNotBreakDeserialization() {
    server.stubFor(
        get(JOB_PATH)
            .willReturn(
                okJson(
                    """
                    {"job_id":"%s","name":"churn","domain":"d","owner":"o","source_table":"s.t",
                     "problem_type":"binary_classification","algorithm":"lightgbm_classifier",
                     "preset":"balanced","status":"paused","some_new_field":{"x":1},
                     "created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05.123Z"}
                    """
                        .formatted(JOB_ID))));
    ModelplaneClient client = client();

    AutoMLTrainingJobResponse job = client.call(() -> client.trainingApi().getTrainingJob(JOB_ID));

    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(job.getProblemType()).isEqualTo(ProblemType.BINARY_CLASSIFICATION);
    assertThat(job.getJobId()).isEqualTo(JOB_ID);
  }

  @Test
  void builderRejectsBadConfiguration() {
    assertThatThrownBy(() -> ModelplaneClient.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ModelplaneClient.builder().baseUrl("ftp://x").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                ModelplaneClient.builder()
                    .baseUrl("http://x")
                    .psk("p")
                    .bearerToken(() -> "t")
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMissingPskOrUrlIsAnIllegalStateNamingTheVariableAndTheBuilderMethod() {
    assertThatThrownBy(() -> ModelplaneClient.builder().psk(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ModelplaneClient.Builder.psk(...)")
        .hasMessageContaining("MODELPLANE_PSK");
    assertThatThrownBy(() -> ModelplaneClient.builder().baseUrl(" "))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ModelplaneClient.Builder.baseUrl(...)")
        .hasMessageContaining("MODELPLANE_URL");
    assertThatThrownBy(
            () ->
                ModelplaneClient.builder()
                    .fromEnvironment(java.util.Map.of("MODELPLANE_URL", "http://localhost:1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("MODELPLANE_PSK is not set");
    assertThatThrownBy(
            () ->
                ModelplaneClient.builder().fromEnvironment(java.util.Map.of("MODELPLANE_PSK", "k")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("MODELPLANE_URL is not set");
    assertThat(
            ModelplaneClient.builder()
                .fromEnvironment(
                    java.util.Map.of("MODELPLANE_URL", "http://h:1/", "MODELPLANE_PSK", "k"))
                .build()
                .baseUrl())
        .isEqualTo("http://h:1");
  }

  @Test
  void aRefusedConnectionNamesTheUrlAndTheCause() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    ModelplaneClient client =
        ModelplaneClient.builder().baseUrl(url).psk("p").retryPolicy(RetryPolicy.none()).build();

    assertThatThrownBy(() -> client.trainingJobs().get(JOB_ID))
        .isInstanceOf(ModelplaneException.class)
        .hasMessage(
            "could not reach the Modelplane server at "
                + url
                + ": connection refused or host unreachable (ConnectException)");
    assertThatThrownBy(() -> client.call(() -> client.trainingApi().getTrainingJob(JOB_ID)))
        .hasMessageStartingWith("could not reach the Modelplane server at " + url + ": ");
  }
}
