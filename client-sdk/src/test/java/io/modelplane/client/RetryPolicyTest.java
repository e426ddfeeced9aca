package io.modelplane.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.BatchRunCallback;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentTriggerRequest;
import io.modelplane.client.model.ProblemType;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is retried, how often, how long the waits are, and the Idempotency-Key of POSTs. */
class RetryPolicyTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final UUID JOB_ID = UUID.fromString("4b6f2c1e-8a52-4d7e-9a55-0c1f7d3e2a10");
  private static final UUID RUN_ID = UUID.fromString("9d1c3b7a-1111-4a2b-8c3d-4e5f60718293");
  private static final String JOBS = "/api/automl/train/jobs";
  private static final String JOB = JOBS + "/" + JOB_ID;
  private static final String TRIGGER = "/api/models/churn/deployments/nightly/trigger";
  private static final String RUNS = "/api/models/churn/deployments/nightly/runs";

  private final FakeTime time = new FakeTime();

  private RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .maxAttempts(4)
        .initialBackoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofSeconds(1))
        .jitter(0)
        .sleeper(time);
  }

  private ModelplaneClient client(RetryPolicy policy) {
    return ModelplaneClient.builder()
        .baseUrl(server.baseUrl())
        .psk("test-psk")
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(policy)
        .build();
  }

  private ModelplaneClient client() {
    return client(policy().build());
  }

  /** Stubs the given responses in order; the last one repeats. */
  private static void sequence(
      Supplier<MappingBuilder> request, ResponseDefinitionBuilder... responses) {
    String state = STARTED;
    for (int i = 0; i < responses.length; i++) {
      String next = i == responses.length - 1 ? state : "attempt-" + (i + 2);
      server.stubFor(
          request
              .get()
              .inScenario("sequence")
              .whenScenarioStateIs(state)
              .willReturn(responses[i])
              .willSetStateTo(next));
      state = next;
    }
  }

  private static ResponseDefinitionBuilder status(int status) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(Json.error(status, "status " + status));
  }

  /** The values of a header in the requests the server got, oldest first. */
  private static List<String> headerValues(String header) {
    List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
    Collections.reverse(events);
    List<String> values = new ArrayList<>();
    for (ServeEvent e : events) {
      values.add(e.getRequest().getHeader(header));
    }
    return values;
  }

  private static AutoMLTrainingJobCreate newJob() {
    return new AutoMLTrainingJobCreate()
        .name("churn")
        .domain("crm")
        .owner("ana")
        .sourceTable("crm.customers")
        .problemType(ProblemType.BINARY_CLASSIFICATION)
        .labelColumn("churned")
        .triggerNow(false);
  }

  @Test
  void readIsRetriedOn503TwiceAndSucceedsOnTheThirdAttempt() {
    sequence(() -> get(JOB), status(503), status(503), okJson(Json.trainingJob(JOB_ID, "running")));

    AutoMLTrainingJobResponse job = client().trainingJobs().get(JOB_ID);

    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.RUNNING);
    server.verify(3, getRequestedFor(urlEqualTo(JOB)));
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void readIsRetriedOn429HonouringRetryAfterUpToTheMaximumBackoff() {
    sequence(
        () -> get(JOB),
        status(429).withHeader("Retry-After", "0"),
        status(429).withHeader("Retry-After", "3600"),
        okJson(Json.trainingJob(JOB_ID, "queued")));

    client().trainingJobs().get(JOB_ID);

    server.verify(3, getRequestedFor(urlEqualTo(JOB)));
    // A Retry-After shorter than the backoff changes nothing; a longer one is capped.
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastErrorAndTheEarlierOnesSuppressed() {
    server.stubFor(get(JOB).willReturn(status(503)));

    assertThatThrownBy(() -> client().trainingJobs().get(JOB_ID))
        .asInstanceOf(type(ServerException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(503);
              assertThat(e.getRequestId()).contains("req-503");
              assertThat(e.getSuppressed()).hasSize(1);
            });
    server.verify(4, getRequestedFor(urlEqualTo(JOB)));
    assertThat(time.sleeps())
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 412, 422, 500, 501, 502})
  void otherStatusesAreNotRetried(int status) {
    server.stubFor(get(JOB).willReturn(status(status)));

    assertThatThrownBy(() -> client().trainingJobs().get(JOB_ID))
        .isInstanceOf(ModelplaneException.class)
        .satisfies(e -> assertThat(((ModelplaneException) e).getStatus()).isEqualTo(status));
    server.verify(1, getRequestedFor(urlEqualTo(JOB)));
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void connectionResetIsRetried() {
    sequence(
        () -> get(JOB),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        okJson(Json.trainingJob(JOB_ID, "complete")));

    assertThat(client().trainingJobs().get(JOB_ID).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    server.verify(2, getRequestedFor(urlEqualTo(JOB)));
  }

  @Test
  void unreachableServerIsRetriedThenStatusZeroWithoutThePsk() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ModelplaneClient client =
        ModelplaneClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .psk("secret-psk")
            .retryPolicy(policy().maxAttempts(3).build())
            .build();

    assertThatThrownBy(() -> client.trainingJobs().get(JOB_ID))
        .isExactlyInstanceOf(ModelplaneException.class)
        .satisfies(e -> assertThat(((ModelplaneException) e).getStatus()).isZero())
        .hasMessageContaining("could not reach")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("secret-psk"));
    assertThat(time.sleeps()).hasSize(2);
  }

  @Test
  void anUnreadableSuccessfulResponseIsNotRetried() {
    server.stubFor(get(JOB).willReturn(okJson("{\"job_id\": [not json")));

    assertThatThrownBy(() -> client().trainingJobs().get(JOB_ID))
        .isExactlyInstanceOf(ModelplaneException.class)
        .hasMessageContaining("could not read");
    server.verify(1, getRequestedFor(urlEqualTo(JOB)));
  }

  @Test
  void postIsRetriedWithTheSameGeneratedIdempotencyKeyOnEveryAttempt() {
    sequence(() -> post(JOBS), status(503), Json.created(Json.trainingJob(JOB_ID, "ready")));

    AutoMLTrainingJobResponse job = client().trainingJobs().create(newJob());

    assertThat(job.getJobId()).isEqualTo(JOB_ID);
    List<String> keys = headerValues("Idempotency-Key");
    assertThat(keys).hasSize(2).doesNotContainNull();
    assertThat(keys.get(1)).isEqualTo(keys.get(0));
    assertThat(UUID.fromString(keys.get(0))).isNotNull();
    server.verify(
        2,
        postRequestedFor(urlEqualTo(JOBS))
            .withHeader("Authorization-PSK", equalTo("test-psk"))
            .withRequestBody(
                equalToJson("{\"name\":\"churn\",\"trigger_now\":false}", true, true)));
  }

  @Test
  void eachLogicalPostGetsItsOwnKey() {
    server.stubFor(post(JOBS).willReturn(Json.created(Json.trainingJob(JOB_ID, "ready"))));
    ModelplaneClient client = client();

    client.trainingJobs().create(newJob());
    client.trainingJobs().create(newJob());

    List<String> keys = headerValues("Idempotency-Key");
    assertThat(keys).hasSize(2).doesNotHaveDuplicates().doesNotContainNull();
  }

  @Test
  void aCallersOwnIdempotencyKeyIsSentAsIs() {
    server.stubFor(post(JOBS).willReturn(Json.created(Json.trainingJob(JOB_ID, "ready"))));

    client().trainingJobs().create(newJob(), "my-key-1");

    server.verify(
        postRequestedFor(urlEqualTo(JOBS)).withHeader("Idempotency-Key", equalTo("my-key-1")));
  }

  @Test
  void deploymentTriggerUsesItsIdempotencyKeyParameterAndReusesItOnRetry() {
    sequence(
        () -> post(TRIGGER),
        status(503),
        aResponse().withFault(Fault.EMPTY_RESPONSE),
        aResponse()
            .withStatus(202)
            .withHeader("Content-Type", "application/json")
            .withBody(Json.run(RUN_ID, "queued")));

    DeploymentRunSummary run =
        client()
            .deployments()
            .trigger("churn", "nightly", new DeploymentTriggerRequest().snapshotId(42L));

    assertThat(run.getRunId()).isEqualTo(RUN_ID);
    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.QUEUED);
    List<String> keys = headerValues("Idempotency-Key");
    assertThat(keys).hasSize(3).doesNotContainNull();
    assertThat(keys).containsOnly(keys.get(0));
    server.verify(
        3,
        postRequestedFor(urlEqualTo(TRIGGER))
            .withRequestBody(equalToJson("{\"snapshot_id\":42,\"tags\":{}}")));
  }

  @Test
  void withoutRetriesPostsCarryNoKeyAndAreSentOnce() {
    server.stubFor(post(JOBS).willReturn(status(503)));

    assertThatThrownBy(() -> client(RetryPolicy.none()).trainingJobs().create(newJob()))
        .isInstanceOf(ServerException.class);

    server.verify(1, postRequestedFor(urlEqualTo(JOBS)).withoutHeader("Idempotency-Key"));
  }

  @Test
  void statusWritebackPutIsRetriedAsItIsWithoutAKey() {
    String path = JOB + "/status";
    sequence(() -> put(path), status(503), okJson(Json.trainingJob(JOB_ID, "running")));

    client()
        .trainingJobs()
        .updateStatus(
            JOB_ID, new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.RUNNING));

    server.verify(
        2,
        putRequestedFor(urlEqualTo(path))
            .withoutHeader("Idempotency-Key")
            .withRequestBody(equalToJson("{\"status\":\"running\"}")));
  }

  @Test
  void runCallbackKeyedByAirflowRunIdIsRetriedAsItIs() {
    sequence(() -> post(RUNS), status(429), okJson(Json.run(RUN_ID, "succeeded")));

    DeploymentRunSummary run =
        client()
            .deploymentRuns()
            .record(
                "churn",
                "nightly",
                new BatchRunCallback()
                    .airflowRunId("scheduled__2025-01-02T00:00:00+00:00")
                    .status(DeploymentRunStatus.SUCCEEDED)
                    .rowsScored(1200L));

    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    server.verify(
        2,
        postRequestedFor(urlEqualTo(RUNS))
            .withRequestBody(
                equalToJson(
                    "{\"airflow_run_id\":\"scheduled__2025-01-02T00:00:00+00:00\","
                        + "\"status\":\"succeeded\",\"rows_scored\":1200}")));
  }

  @Test
  void interruptedThreadIsNotRetried() {
    server.stubFor(get(anyUrl()).willReturn(status(503)));
    ModelplaneClient client = client();

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> client.trainingJobs().get(JOB_ID))
          .isInstanceOf(ModelplaneException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    RetryPolicy exact = policy().build();
    assertThat(List.of(exact.backoff(1), exact.backoff(2), exact.backoff(4), exact.backoff(30)))
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(800),
            Duration.ofSeconds(1));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.2, 0.5, 1.0})
  void jitterTakesOffAtMostItsShareAndNeverAddsToTheBound(double jitter) {
    RetryPolicy policy = policy().jitter(jitter).build();
    Duration bound = Duration.ofMillis(400); // the third retry's
    Duration lowest = Duration.ofNanos((long) (bound.toNanos() * (1 - jitter)));
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      waits.add(policy.backoff(3));
    }

    assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(lowest.minusNanos(1), bound));
    // Spread over the whole range, not stuck at one end (the chance of a false failure is nil).
    Duration quarter = Duration.ofNanos((bound.toNanos() - lowest.toNanos()) / 4);
    assertThat(waits).anySatisfy(w -> assertThat(w).isLessThan(lowest.plus(quarter)));
    assertThat(waits).anySatisfy(w -> assertThat(w).isGreaterThan(bound.minus(quarter)));
  }

  @Test
  void theDefaultPolicysWaitsStayWithinTheMaximum() {
    RetryPolicy defaults = RetryPolicy.defaults();
    for (int retry = 1; retry < 10; retry++) {
      assertThat(defaults.backoff(retry))
          .isLessThanOrEqualTo(defaults.maxBackoff())
          .isGreaterThanOrEqualTo(Duration.ZERO);
    }
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsWaitedInFull() {
    sequence(
        () -> get(JOB),
        status(503).withHeader("Retry-After", "1"),
        okJson(Json.trainingJob(JOB_ID, "queued")));

    client(policy().maxBackoff(Duration.ofSeconds(5)).build()).trainingJobs().get(JOB_ID);

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            RetryPolicy.builder()
                .initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1))
                .build()
                .maxBackoff())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryPolicy.none().retriesPosts()).isFalse();
    assertThat(RetryPolicy.defaults().toBuilder().build().maxAttempts()).isEqualTo(4);
  }
}
