package io.modelplane.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.modelplane.client.ConflictException;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.NotFoundException;
import io.modelplane.client.Page;
import io.modelplane.client.Paginator;
import io.modelplane.client.ServerException;
import io.modelplane.client.Sleeper;
import io.modelplane.client.TrainingJobs;
import io.modelplane.client.UnauthorizedException;
import io.modelplane.client.ValidationException;
import io.modelplane.client.Waiter;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.TrainingJobEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * client-sdk against the real server jar (on a PostgreSQL database of its own, no orchestrator):
 * waiting for a job that another thread or the dag-helper process moves along, paginating, the
 * typed exception of every error status the server produces today, and the {@code Idempotency-Key}
 * of a retried POST (with WireMock in front of the server to inject the 503).
 */
class ClientSdkIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ServerUnderTest server;
  private static String psk;
  private static ModelplaneClient client;
  private static DagHelperCli dagHelper;

  @BeforeAll
  static void startServer() {
    server = ServerUnderTest.onPostgres("client-sdk", Map.of());
    psk = server.psk();
    client = server.client();
    dagHelper = server.dagHelper();
  }

  @AfterEach
  void everyExchangeKeptTheContract() {
    server.assertContractKept();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Short waits: the tests wait for a server on the same machine. */
  private static ModelplaneClient.Builder clientBuilder(String baseUrl) {
    return server.clientBuilder().baseUrl(baseUrl);
  }

  /** A client whose waiter opens the latch when it first has to wait: the job was not terminal. */
  private static ModelplaneClient clientSignallingFirstWait(CountDownLatch firstWait) {
    Sleeper signalling =
        d -> {
          firstWait.countDown();
          Sleeper.SYSTEM.sleep(d);
        };
    return clientBuilder(server.baseUrl())
        .waiter(
            Waiter.builder()
                .initialDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofMillis(500))
                .sleeper(signalling)
                .build())
        .build();
  }

  private static AutoMLTrainingJobCreate newJob(String name, String domain) {
    return new AutoMLTrainingJobCreate()
        .name(name + "-" + UUID.randomUUID().toString().substring(0, 8))
        .domain(domain)
        .owner("it-tests")
        .sourceTable("analytics.customers")
        .problemType(ProblemType.BINARY_CLASSIFICATION)
        .labelColumn("churned")
        .triggerNow(false);
  }

  private static AutoMLTrainingJobResponse createJob(String name) {
    return client.trainingJobs().create(newJob(name, "it"));
  }

  private static AutoMLTrainingJobResponse writeback(UUID jobId, AutoMLTrainingJobStatus status) {
    return client
        .trainingJobs()
        .updateStatus(jobId, new AutoMLTrainingStatusUpdate().status(status));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the waiter never waited");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void waitForTerminalFollowsWritebacksPostedFromAnotherThread() throws Exception {
    UUID jobId = createJob("wait-thread").getJobId();
    CountDownLatch firstWait = new CountDownLatch(1);
    ModelplaneClient waiting = clientSignallingFirstWait(firstWait);

    CompletableFuture<Void> dagTask =
        CompletableFuture.runAsync(
            () -> {
              await(firstWait);
              writeback(jobId, AutoMLTrainingJobStatus.RUNNING);
              client
                  .trainingJobs()
                  .updateStatus(
                      jobId,
                      new AutoMLTrainingStatusUpdate()
                          .status(AutoMLTrainingJobStatus.COMPLETE)
                          .mlflowRunId("run-7")
                          .registeredModelName("churn-model"));
            });
    AutoMLTrainingJobResponse done = waiting.trainingJobs().waitForTerminal(jobId, WAIT);
    dagTask.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(done.getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertThat(done.getMlflowRunId()).isEqualTo("run-7");
    assertThat(client.trainingJobs().events(jobId))
        .extracting(TrainingJobEvent::getToStatus)
        .containsExactly(
            AutoMLTrainingJobStatus.READY,
            AutoMLTrainingJobStatus.RUNNING,
            AutoMLTrainingJobStatus.COMPLETE);
  }

  @Test
  void waitForTerminalFollowsTheDagHelperProcessToFailed() throws Exception {
    UUID jobId = createJob("wait-process").getJobId();
    CountDownLatch firstWait = new CountDownLatch(1);
    ModelplaneClient waiting = clientSignallingFirstWait(firstWait);

    CompletableFuture<DagHelperCli.Result> dagTask =
        CompletableFuture.supplyAsync(
            () -> {
              await(firstWait);
              return dagHelper.run(
                  "wrap",
                  "--training-job",
                  jobId.toString(),
                  "--",
                  "sh",
                  "-c",
                  "echo 'trainer ran out of memory' >&2; exit 3");
            });
    AutoMLTrainingJobResponse done = waiting.trainingJobs().waitForTerminal(jobId, WAIT);
    DagHelperCli.Result result = dagTask.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(done.getStatus()).isEqualTo(AutoMLTrainingJobStatus.FAILED);
    assertThat(done.getErrorMessage()).contains("trainer ran out of memory");
  }

  @Test
  void paginatesSevenJobsOfAUniqueDomainTwoPerPage() {
    String domain = "it-pages-" + UUID.randomUUID().toString().substring(0, 8);
    Set<UUID> created =
        java.util.stream.IntStream.range(0, 7)
            .mapToObj(i -> client.trainingJobs().create(newJob("page-" + i, domain)).getJobId())
            .collect(Collectors.toSet());
    TrainingJobs.Filter filter = new TrainingJobs.Filter().domain(domain).pageSize(2);

    Paginator<AutoMLTrainingJobResponse> all = client.trainingJobs().listAll(filter);
    List<Page<AutoMLTrainingJobResponse>> pages = all.pageStream().toList();
    List<UUID> ids = new ArrayList<>();
    for (AutoMLTrainingJobResponse job : all) {
      ids.add(job.getJobId());
    }

    assertThat(pages).extracting(p -> p.items().size()).containsExactly(2, 2, 2, 1);
    assertThat(pages).extracting(Page::hasNext).containsExactly(true, true, true, false);
    assertThat(ids).hasSize(7).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(all.stream().map(AutoMLTrainingJobResponse::getDomain)).containsOnly(domain);
    // Newest first.
    assertThat(all.stream().map(AutoMLTrainingJobResponse::getCreatedAt).toList())
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(
            client
                .trainingJobs()
                .listAll(
                    new TrainingJobs.Filter()
                        .domain(domain)
                        .status(AutoMLTrainingJobStatus.RUNNING)
                        .pageSize(2))
                .toList())
        .isEmpty();
  }

  @Test
  void wrongPskIsUnauthorizedException() {
    ModelplaneClient wrongPsk =
        ModelplaneClient.builder().baseUrl(server.baseUrl()).psk("it-wrong-" + psk).build();
    ModelplaneClient wrongBearer =
        ModelplaneClient.builder()
            .baseUrl(server.baseUrl())
            .bearerToken(() -> "it-wrong-token")
            .build();

    for (ModelplaneClient c : List.of(wrongPsk, wrongBearer)) {
      assertThatThrownBy(() -> c.trainingJobs().listAll(null).toList())
          .asInstanceOf(type(UnauthorizedException.class))
          .satisfies(
              e -> {
                assertThat(e.getStatus()).isEqualTo(401);
                assertThat(e.getRequestId()).isPresent();
                assertThat(e.getMessage()).isNotBlank().doesNotContain(psk);
              });
    }
  }

  @Test
  void unknownJobIsNotFoundExceptionWithTheServersMessageAndRequestId() {
    UUID unknown = UUID.randomUUID();

    assertThatThrownBy(() -> client.trainingJobs().get(unknown))
        .asInstanceOf(type(NotFoundException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(404);
              assertThat(e.getMessage()).contains(unknown.toString());
              assertThat(e.getRequestId()).isPresent();
            });
    assertThatThrownBy(() -> client.trainingJobs().cancel(unknown))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void illegalTransitionsAreConflictException() {
    UUID jobId = createJob("conflict").getJobId();
    writeback(jobId, AutoMLTrainingJobStatus.RUNNING);

    assertThatThrownBy(() -> client.trainingJobs().delete(jobId))
        .asInstanceOf(type(ConflictException.class))
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo(409));

    writeback(jobId, AutoMLTrainingJobStatus.COMPLETE);
    assertThatThrownBy(() -> client.trainingJobs().cancel(jobId))
        .asInstanceOf(type(ConflictException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(409);
              assertThat(e.getMessage()).contains("complete");
            });
    assertThatThrownBy(() -> writeback(jobId, AutoMLTrainingJobStatus.RUNNING))
        .isInstanceOf(ConflictException.class);
    assertThat(client.trainingJobs().get(jobId).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
  }

  @Test
  void invalidRequestsAreValidationExceptionWithTheDetailList() {
    assertThatThrownBy(() -> client.trainingJobs().create(newJob("x", "it").name("")))
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(422);
              assertThat(e.getDetail()).isNotEmpty();
              assertThat(e.getDetail().get(0).getLoc()).containsExactly("body", "name");
            });
    assertThatThrownBy(
            () -> client.trainingJobs().list(new TrainingJobs.Filter().pageSize(0), null))
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> assertThat(e.getDetail().get(0).getLoc()).containsExactly("query", "page_size"));
  }

  @Test
  void triggerWithoutAnOrchestratorIsServerException503AndLeavesTheJobReady() {
    UUID jobId = createJob("no-orchestrator").getJobId();

    assertThatThrownBy(() -> client.trainingJobs().trigger(jobId))
        .asInstanceOf(type(ServerException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(503);
              assertThat(e.getMessage()).contains("No orchestrator is configured");
              assertThat(e.getRequestId()).isPresent();
              // 503 is retried: the policy allows 3 attempts, the earlier ones are suppressed.
              assertThat(e.getSuppressed()).hasSize(1);
            });
    AutoMLTrainingJobResponse job = client.trainingJobs().get(jobId);
    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.READY);
    assertThat(job.getErrorMessage()).contains("No orchestrator is configured");
  }

  @Test
  void aPostRetriedAfter503CarriesTheSameIdempotencyKeyAndCreatesOneJob() {
    WireMockServer proxy = new WireMockServer(options().dynamicPort());
    proxy.start();
    // The injected 503 and the real answer are both checked against the contract.
    ContractProxy contractCheck = ContractProxy.start(proxy.baseUrl());
    try {
      String path = "/api/automl/train/jobs";
      proxy.stubFor(
          post(urlEqualTo(path))
              .inScenario("flaky")
              .whenScenarioStateIs(STARTED)
              .willReturn(
                  aResponse()
                      .withStatus(503)
                      .withHeader("Content-Type", "application/json")
                      .withBody("{\"error\":\"database restarting\",\"code\":503}"))
              .willSetStateTo("recovered"));
      proxy.stubFor(
          any(anyUrl())
              .atPriority(10)
              .willReturn(aResponse().proxiedFrom(server.server().baseUrl())));
      ModelplaneClient throughProxy = clientBuilder(contractCheck.baseUrl()).build();
      String domain = "it-idem-" + UUID.randomUUID().toString().substring(0, 8);

      AutoMLTrainingJobResponse job = throughProxy.trainingJobs().create(newJob("idem", domain));

      List<LoggedRequest> posts = proxy.findAll(postRequestedFor(urlEqualTo(path)));
      assertThat(posts).hasSize(2);
      String key = posts.get(0).getHeader("Idempotency-Key");
      assertThat(UUID.fromString(key)).isNotNull();
      assertThat(posts.get(1).getHeader("Idempotency-Key")).isEqualTo(key);
      assertThat(posts.get(1).getBodyAsString()).isEqualTo(posts.get(0).getBodyAsString());
      // The second attempt reached the real server, once.
      assertThat(client.trainingJobs().get(job.getJobId()).getDomain()).isEqualTo(domain);
      assertThat(client.trainingJobs().listAll(new TrainingJobs.Filter().domain(domain)).toList())
          .hasSize(1);
      contractCheck.assertNoViolations();
    } finally {
      contractCheck.close();
      proxy.stop();
    }
  }
}
