package io.modelplane.client;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WaiterTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final UUID JOB_ID = UUID.fromString("4b6f2c1e-8a52-4d7e-9a55-0c1f7d3e2a10");
  private static final UUID RUN_ID = UUID.fromString("9d1c3b7a-1111-4a2b-8c3d-4e5f60718293");
  private static final String JOB = "/api/automl/train/jobs/" + JOB_ID;
  private static final String RUN = "/api/models/churn/deployments/nightly/runs/" + RUN_ID;

  private static final String DEPLOYMENT = "/api/models/churn/deployments/nightly";

  private final FakeTime time = new FakeTime();

  private Waiter.Builder waiter() {
    return Waiter.builder()
        .initialDelay(Duration.ofSeconds(1))
        .multiplier(2)
        .maxDelay(Duration.ofSeconds(4))
        .jitter(0)
        .sleeper(time)
        .clock(time);
  }

  private ModelplaneClient client() {
    return ModelplaneClient.builder()
        .baseUrl(server.baseUrl())
        .psk("test-psk")
        .retryPolicy(RetryPolicy.none())
        .waiter(waiter().build())
        .build();
  }

  /** Answers the given bodies to successive GETs of the path; the last one repeats. */
  private static void states(String path, String... bodies) {
    String state = STARTED;
    for (int i = 0; i < bodies.length; i++) {
      String next = i == bodies.length - 1 ? state : "poll-" + (i + 2);
      server.stubFor(
          get(path)
              .inScenario(path)
              .whenScenarioStateIs(state)
              .willReturn(okJson(bodies[i]))
              .willSetStateTo(next));
      state = next;
    }
  }

  @Test
  void waitsForATrainingJobToBecomeTerminalWithGrowingDelays() {
    states(
        JOB,
        Json.trainingJob(JOB_ID, "queued"),
        Json.trainingJob(JOB_ID, "running"),
        Json.trainingJob(JOB_ID, "running"),
        Json.trainingJob(JOB_ID, "complete"));

    AutoMLTrainingJobResponse job =
        client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofMinutes(5));

    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    server.verify(4, getRequestedFor(urlEqualTo(JOB)));
    assertThat(time.sleeps())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void failedIsTerminalToo() {
    states(JOB, Json.trainingJob(JOB_ID, "failed"));

    assertThat(client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofSeconds(1)).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.FAILED);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void anUnknownStatusFromANewerServerIsNotTerminalAndDoesNotBreakTheWait() {
    states(JOB, Json.trainingJob(JOB_ID, "paused_for_quota"), Json.trainingJob(JOB_ID, "complete"));

    assertThat(client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofMinutes(1)).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertThat(TrainingJobs.isTerminal(AutoMLTrainingJobStatus.UNKNOWN_DEFAULT_OPEN_API)).isFalse();
  }

  @Test
  void timesOutWithAClearExceptionAfterAFinalPollAtTheDeadline() {
    states(JOB, Json.trainingJob(JOB_ID, "running"));

    assertThatThrownBy(
            () -> client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofSeconds(10)))
        .asInstanceOf(type(WaitTimeoutException.class))
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo(
                      "timed out after PT10S waiting for training job "
                          + JOB_ID
                          + " to be complete or failed (5 polls; last seen: status running)");
              assertThat(e.getTimeout()).isEqualTo(Duration.ofSeconds(10));
              assertThat(e.getPolls()).isEqualTo(5);
              assertThat(e.getLastValue())
                  .isInstanceOfSatisfying(
                      AutoMLTrainingJobResponse.class,
                      job ->
                          assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.RUNNING));
            });
    // Polls at 0, 1, 3, 7 and - the last delay cut to the deadline - 10 seconds.
    assertThat(time.sleeps())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(3));
  }

  @Test
  void aPollThatFailsEndsTheWaitWithItsTypedException() {
    assertThatThrownBy(() -> client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofSeconds(5)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void waitsForADeploymentRunToSucceed() {
    states(
        RUN,
        Json.run(RUN_ID, "queued"),
        Json.run(RUN_ID, "running"),
        Json.run(RUN_ID, "succeeded"));
    states(DEPLOYMENT, Json.deployment(UUID.randomUUID(), "nightly", "active"));

    DeploymentRunSummary run =
        client()
            .deploymentRuns()
            .waitForTerminal("churn", "nightly", RUN_ID, Duration.ofMinutes(1));

    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(run.getRowsScored()).isEqualTo(12L);
    server.verify(3, getRequestedFor(urlEqualTo(RUN)));
  }

  @Test
  void aDeploymentRunThatStaysQueuedTimesOut() {
    states(RUN, Json.run(RUN_ID, "queued"));
    states(DEPLOYMENT, Json.deployment(UUID.randomUUID(), "nightly", "active"));

    assertThatThrownBy(
            () ->
                client()
                    .deploymentRuns()
                    .waitForTerminal("churn", "nightly", RUN_ID, Duration.ofSeconds(2)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("run " + RUN_ID + " of deployment churn/nightly")
        .hasMessageContaining("last seen: status queued");
  }

  @Test
  void aReadyJobWithAnErrorEndsTheWaitAtOnceWithTheServersReason() {
    String ready =
        Json.trainingJob(JOB_ID, "ready")
            .replace(
                "\"status\":\"ready\"",
                "\"status\":\"ready\",\"error_message\":\"No orchestrator is configured\"");
    states(JOB, ready);

    assertThatThrownBy(() -> client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofHours(2)))
        .asInstanceOf(type(WaitBlockedException.class))
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo(
                      "stopped waiting for training job "
                          + JOB_ID
                          + " to be complete or failed: it is ready and will not start on its"
                          + " own: No orchestrator is configured");
              assertThat(e.getLastValue()).isInstanceOf(AutoMLTrainingJobResponse.class);
            });
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aReadyJobWithoutAnErrorIsAwaitedAsWritebacksMayStillMoveIt() {
    states(JOB, Json.trainingJob(JOB_ID, "ready"), Json.trainingJob(JOB_ID, "complete"));

    assertThat(client().trainingJobs().waitForTerminal(JOB_ID, Duration.ofMinutes(1)).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
  }

  @Test
  void aQueuedRunOfAStoppedDeploymentEndsTheWaitAtOnce() {
    states(RUN, Json.run(RUN_ID, "queued"));
    states(DEPLOYMENT, Json.deployment(UUID.randomUUID(), "nightly", "stopped"));

    assertThatThrownBy(
            () ->
                client()
                    .deploymentRuns()
                    .waitForTerminal("churn", "nightly", RUN_ID, Duration.ofHours(1)))
        .isInstanceOf(WaitBlockedException.class)
        .hasMessageEndingWith(
            "the run is queued but its deployment is stopped: it will not start until the"
                + " deployment is started");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void theListenerSeesEveryPolledStateWithTheElapsedTime() {
    states(
        JOB,
        Json.trainingJob(JOB_ID, "queued"),
        Json.trainingJob(JOB_ID, "running"),
        Json.trainingJob(JOB_ID, "complete"));
    List<String> seen = new java.util.ArrayList<>();

    client()
        .trainingJobs()
        .waitForTerminal(
            JOB_ID,
            Duration.ofMinutes(1),
            (job, elapsed) -> seen.add(elapsed.toSeconds() + "s " + job.getStatus()));

    assertThat(seen).containsExactly("0s queued", "1s running", "3s complete");
  }

  @Test
  void delaysAreJitteredWithinTheirShareAndCappedByTheMaximum() {
    Waiter jittery = waiter().jitter(0.5).maxDelay(Duration.ofSeconds(3)).build();
    Iterator<Integer> values = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9).iterator();

    assertThatThrownBy(
            () -> jittery.until("nine polls", Duration.ofSeconds(60), values::next, v -> false))
        .isInstanceOf(Exception.class); // runs out of values or times out
    assertThat(time.sleeps())
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3)));
  }

  @Test
  void aMaximumEqualToTheFirstDelayOrAMultiplierOfOnePollsAtAFixedPace() {
    for (Waiter fixed :
        List.of(waiter().maxDelay(Duration.ofSeconds(1)).build(), waiter().multiplier(1).build())) {
      Iterator<Integer> values = List.of(1, 2, 3, 4).iterator();

      assertThat(fixed.until("4", Duration.ofMinutes(1), values::next, v -> v == 4)).isEqualTo(4);
    }

    assertThat(time.sleeps()).hasSize(6).containsOnly(Duration.ofSeconds(1));
  }

  @Test
  void theJitterOfADelayNeverLengthensItNorTakesOffMoreThanItsShare() {
    Waiter jittery = waiter().jitter(0.2).build();
    Iterator<Integer> values = java.util.stream.IntStream.range(0, 400).iterator();

    jittery.until("399", Duration.ofDays(1), values::next, v -> v == 399);

    List<Duration> sleeps = time.sleeps();
    assertThat(sleeps.subList(0, 1))
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1)));
    assertThat(sleeps.subList(3, sleeps.size()))
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(3_200), Duration.ofSeconds(4)))
        .anySatisfy(d -> assertThat(d).isLessThan(Duration.ofMillis(3_400)))
        .anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofMillis(3_800)));
  }

  @Test
  void zeroTimeoutPollsOnce() {
    assertThatThrownBy(() -> waiter().build().until("x", Duration.ZERO, () -> "state", s -> false))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("timed out after PT0S waiting for x (1 poll; last seen: state)");
  }

  @Test
  void interruptionEndsTheWaitAndKeepsTheFlag() {
    Waiter interrupted =
        waiter()
            .sleeper(
                d -> {
                  throw new InterruptedException();
                })
            .build();

    try {
      assertThatThrownBy(
              () -> interrupted.until("x", Duration.ofSeconds(5), () -> "state", s -> false))
          .isInstanceOf(ModelplaneException.class)
          .hasMessageContaining("interrupted while waiting for x");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
