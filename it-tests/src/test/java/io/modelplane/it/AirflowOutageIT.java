package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.TrainingJobEvent;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transactional outbox while Airflow is down: the requests that need Airflow still succeed (the
 * intent is committed with the change), the worker retries with backoff until Airflow is back, and
 * each DAG run reaches Airflow exactly once. Airflow is WireMock resetting connections or answering
 * 503; the server polls its outbox every 50 ms with a 50 ms first backoff.
 */
class AirflowOutageIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ExternalSystems externals;
  private static ServerUnderTest server;
  private static ModelplaneClient client;

  @BeforeAll
  static void start() {
    externals = new ExternalSystems();
    server = ServerUnderTest.onPostgres("airflow-outage", externals.allEnv());
    client = server.client();
  }

  @AfterEach
  void airflowBackAndContractKept() {
    externals.airflowHealthy();
    server.assertContractKept();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (externals != null) {
      externals.close();
    }
  }

  @Test
  void trainingCreateAndTriggerSucceedWhileAirflowResetsConnectionsAndRunOnceWhenItIsBack() {
    externals.airflowDown();

    AutoMLTrainingJobResponse createdQueued =
        client.trainingJobs().create(Fixtures.job("outage-now", true));
    UUID later = client.trainingJobs().create(Fixtures.job("outage-later", false)).getJobId();
    AutoMLTrainingJobResponse triggered = client.trainingJobs().trigger(later);

    assertThat(createdQueued.getStatus()).isEqualTo(AutoMLTrainingJobStatus.QUEUED);
    assertThat(triggered.getStatus()).isEqualTo(AutoMLTrainingJobStatus.QUEUED);
    List<String> dagRuns =
        List.of(createdQueued.getAirflowDagRunId(), triggered.getAirflowDagRunId());
    awaitFailedAttempts(dagRuns, 3);
    assertThat(dagRuns).allSatisfy(run -> assertThat(externals.successfulTriggers(run)).isZero());
    assertThat(pendingTrainingTriggers(createdQueued.getJobId(), later)).isEqualTo(2);

    externals.airflowHealthy();

    for (String run : dagRuns) {
      Await.until("Airflow to accept " + run, WAIT, () -> externals.successfulTriggers(run) == 1);
    }
    Await.until(
        "the outbox to finish",
        WAIT,
        () -> pendingTrainingTriggers(createdQueued.getJobId(), later) == 0);
    Await.sleep(300); // a duplicate delivery would show within a few polls
    for (String run : dagRuns) {
      assertThat(externals.successfulTriggers(run)).as(run).isEqualTo(1);
      System.out.println(
          "[modelplane-it] "
              + run
              + ": "
              + externals.triggerAttempts(run).size()
              + " attempts, 1 accepted by Airflow");
    }
    for (UUID jobId : List.of(createdQueued.getJobId(), later)) {
      AutoMLTrainingJobResponse job = client.trainingJobs().get(jobId);
      assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.QUEUED);
      assertThat(job.getAttempt()).isEqualTo(1);
      assertThat(client.trainingJobs().events(jobId))
          .extracting(TrainingJobEvent::getToStatus)
          .containsExactly(AutoMLTrainingJobStatus.READY, AutoMLTrainingJobStatus.QUEUED);
    }
  }

  @Test
  void deploymentCreateAndTriggerSucceedWhileAirflowAnswers503AndTakeEffectOnceWhenItIsBack() {
    String model = Fixtures.unique("churn");
    String name = Fixtures.unique("outage");
    externals.mlflowVersion(model, "3");
    externals.airflowUnavailable();

    DeploymentResponse created =
        client.deployments().create(model, Fixtures.deployment(name, model, "3"));
    DeploymentRunSummary run = client.deployments().trigger(model, name, null);

    assertThat(created.getStatus()).isEqualTo(DeploymentStatus.DEPLOYING);
    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.QUEUED);
    String dagId = created.getDagId();
    Await.until(
        "the publication to fail a few times",
        WAIT,
        () -> outboxAttempts("publish_dag", dagId) >= 3);
    assertThat(client.deployments().get(model, name).getStatus())
        .isEqualTo(DeploymentStatus.DEPLOYING);
    // The run waits behind the publication of its DAG (tasks of one deployment run in order).
    assertThat(externals.triggerAttempts(run.getAirflowRunId())).isEmpty();

    externals.airflowHealthy();

    Await.value(
        "the deployment to be active",
        WAIT,
        () -> client.deployments().get(model, name),
        d -> d.getStatus() == DeploymentStatus.ACTIVE);
    Await.until(
        "Airflow to get the run",
        WAIT,
        () -> externals.successfulTriggers(run.getAirflowRunId()) == 1);
    Await.sleep(300);
    assertThat(externals.successfulPauseChanges(dagId, false)).isEqualTo(1);
    assertThat(externals.successfulTriggers(run.getAirflowRunId())).isEqualTo(1);
    assertThat(client.deploymentRuns().get(model, name, run.getRunId()).getStatus())
        .isEqualTo(DeploymentRunStatus.QUEUED);
    assertThat(
            server
                .database()
                .rows(
                    "SELECT kind, state FROM outbox_tasks t JOIN deployments d"
                        + " ON d.deployment_id = t.deployment_id WHERE d.dag_id = ?"
                        + " ORDER BY task_id",
                    dagId))
        .extracting(row -> row.get("kind") + ":" + row.get("state"))
        .containsExactly("publish_dag:done", "trigger_run:done");
  }

  @Test
  void aTriggerAirflowRefusesForGoodPutsTheJobBackToReadyWithTheReason() {
    externals.airflowRefusesRuns(400, "DAG modelplane-training is paused and not triggerable");
    try {
      UUID jobId = client.trainingJobs().create(Fixtures.job("refused", true)).getJobId();

      AutoMLTrainingJobResponse job =
          Await.value(
              "the job to be ready again",
              WAIT,
              () -> client.trainingJobs().get(jobId),
              j -> j.getStatus() == AutoMLTrainingJobStatus.READY);

      assertThat(job.getErrorMessage())
          .contains("Airflow did not accept the trigger")
          .contains("HTTP 400");
      assertThat(externals.triggerAttempts(job.getAirflowDagRunId())).hasSize(1); // not retried
      assertThat(client.trainingJobs().events(jobId))
          .extracting(TrainingJobEvent::getActor)
          .last()
          .isEqualTo("outbox-worker");
    } finally {
      externals.airflowHealthy();
    }
  }

  private static void awaitFailedAttempts(List<String> dagRunIds, int attempts) {
    // While Airflow is down even the session token cannot be fetched, so the trigger POST may
    // never arrive: count the attempts the outbox recorded.
    for (String dagRunId : dagRunIds) {
      Await.until(
          attempts + " failed attempts to trigger " + dagRunId,
          WAIT,
          () ->
              server
                      .database()
                      .number(
                          "SELECT count(*) FROM outbox_tasks WHERE kind = 'trigger_training'"
                              + " AND state = 'pending' AND attempts >= ? AND payload LIKE ?",
                          attempts,
                          "%" + dagRunId + "%")
                  == 1);
    }
  }

  private static long outboxAttempts(String kind, String dagId) {
    return server
        .database()
        .number(
            "SELECT coalesce(max(t.attempts), 0) FROM outbox_tasks t JOIN deployments d"
                + " ON d.deployment_id = t.deployment_id WHERE t.kind = ? AND d.dag_id = ?",
            kind,
            dagId);
  }

  private static long pendingTrainingTriggers(UUID first, UUID second) {
    return server
        .database()
        .number(
            "SELECT count(*) FROM outbox_tasks WHERE state = 'pending' AND job_id IN (?, ?)",
            first,
            second);
  }
}
