package io.modelplane.daghelper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskWrapperTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String JOB = "4b6f2c1e-8a52-4d7e-9a55-0c1f7d3e2a10";
  private static final String STATUS_PATH = "/api/automl/train/jobs/" + JOB + "/status";

  private final List<String> log = new ArrayList<>();

  private WritebackClient client() {
    return new WritebackClient(
        server.baseUrl(),
        "psk",
        RetryPolicy.defaults()
            .withDeadline(Duration.ofSeconds(5))
            .withInitialBackoff(Duration.ofMillis(1)),
        log::add);
  }

  @Test
  void successReportsRunningThenCompleteWithTheResult() throws Exception {
    server.stubFor(put(STATUS_PATH).willReturn(okJson("{}")));
    TaskWrapper task = new TaskWrapper(new TrainingJobReporter(client(), JOB));

    TaskResult result = task.call(() -> new TaskResult("run-1", "churn", null));

    assertThat(result.mlflowRunId()).isEqualTo("run-1");
    server.verify(
        putRequestedFor(urlEqualTo(STATUS_PATH))
            .withRequestBody(equalToJson("{\"status\":\"running\"}")));
    server.verify(
        putRequestedFor(urlEqualTo(STATUS_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"status\":\"complete\",\"mlflow_run_id\":\"run-1\","
                        + "\"registered_model_name\":\"churn\"}")));
  }

  @Test
  void failureReportsFailedAndRethrows() {
    String path = "/api/models/churn/deployments/nightly/runs";
    server.stubFor(post(path).willReturn(okJson("{}")));
    TaskWrapper task =
        new TaskWrapper(new DeploymentRunReporter(client(), "churn", "nightly", "manual__1"));
    IllegalStateException boom = new IllegalStateException("table missing");

    assertThatThrownBy(
            () ->
                task.run(
                    () -> {
                      throw boom;
                    }))
        .isSameAs(boom);

    server.verify(
        postRequestedFor(urlEqualTo(path))
            .withRequestBody(
                equalToJson("{\"airflow_run_id\":\"manual__1\",\"status\":\"running\"}")));
    server.verify(
        postRequestedFor(urlEqualTo(path))
            .withRequestBody(
                equalToJson(
                    "{\"airflow_run_id\":\"manual__1\",\"status\":\"failed\","
                        + "\"error_message\":\"java.lang.IllegalStateException: table missing\"}")));
  }

  @Test
  void bodyDoesNotRunWhenRunningCannotBeReported() {
    server.stubFor(put(STATUS_PATH).willReturn(aResponse().withStatus(403)));
    TaskWrapper task = new TaskWrapper(new TrainingJobReporter(client(), JOB));
    List<String> ran = new ArrayList<>();

    assertThatThrownBy(() -> task.run(() -> ran.add("ran")))
        .isInstanceOf(WritebackRejectedException.class)
        .satisfies(e -> assertThat(((WritebackRejectedException) e).status()).isEqualTo(403));
    assertThat(ran).isEmpty();
  }

  @Test
  void longErrorMessagesAreTruncatedToWhatTheServerAccepts() {
    server.stubFor(put(STATUS_PATH).willReturn(okJson("{}")));

    new TrainingJobReporter(client(), JOB).failed("x".repeat(10_000));

    String body = server.getAllServeEvents().get(0).getRequest().getBodyAsString();
    assertThat(body.length()).isLessThan(WritebackClient.MAX_ERROR_MESSAGE + 100);
  }

  @Test
  void pathSegmentsArePercentEncoded() {
    assertThat(WritebackClient.pathSegment("a b/c+d~e.f")).isEqualTo("a%20b%2Fc%2Bd~e.f");
    assertThat(WritebackClient.pathSegment("..")).isEqualTo("%2E%2E");
  }
}
