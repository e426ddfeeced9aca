package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.client.ConflictException;
import io.modelplane.client.ForbiddenException;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.NotFoundException;
import io.modelplane.client.UnauthorizedException;
import io.modelplane.client.invoker.ApiResponse;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingJobStatusEntry;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.BatchRunCallback;
import io.modelplane.client.model.DeploymentEvent;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.DeploymentTriggerRequest;
import io.modelplane.client.model.DeploymentUpdate;
import io.modelplane.client.model.PskCreate;
import io.modelplane.client.model.PskCreated;
import io.modelplane.client.model.TrainingJobEvent;
import io.modelplane.testsupport.oidc.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole product as users drive it: the server jar on a PostgreSQL database of its own, with
 * WireMock as Airflow (v2, session token), MLflow and the Keycloak realm's JWKS; clients are
 * client-sdk and the dag-helper jar, every exchange checked against the contract.
 */
class FullLifecycleIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ExternalSystems externals;
  private static ServerUnderTest server;
  private static ModelplaneClient client;
  private static DagHelperCli dagHelper;

  @BeforeAll
  static void start() {
    externals = new ExternalSystems();
    server = ServerUnderTest.onPostgres("lifecycle", externals.allEnv());
    client = server.client();
    dagHelper = server.dagHelper();
  }

  @AfterEach
  void everyExchangeKeptTheContract() {
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

  // ------------------------------------------------------------------ training jobs

  @Test
  void trainingJobLivesFromCreateThroughOneAirflowTriggerToComplete() {
    AutoMLTrainingJobResponse created = client.trainingJobs().create(Fixtures.job("churn", true));
    UUID jobId = created.getJobId();
    String dagRunId = "modelplane__" + jobId + "__1";

    assertThat(created.getStatus()).isEqualTo(AutoMLTrainingJobStatus.QUEUED);
    assertThat(created.getAttempt()).isEqualTo(1);
    assertThat(created.getAirflowDagRunId()).isEqualTo(dagRunId);
    assertThat(created.getAirflowDagUrl()).startsWith(externals.baseUrl() + "/dags/");
    Await.until(
        "Airflow to get the DAG run", WAIT, () -> externals.successfulTriggers(dagRunId) == 1);
    JsonNode conf = externals.acceptedRuns(created.getAirflowDagId()).get(0).path("conf");
    assertThat(conf.path("job_id").asText()).isEqualTo(jobId.toString());
    assertThat(conf.path("attempt").asInt()).isEqualTo(1);

    // Airflow started it: the bulk status call reconciles queued → running.
    externals.airflowRunState(dagRunId, "running");
    AutoMLTrainingJobStatusEntry entry =
        client.trainingJobs().statuses(List.of(jobId)).getStatuses().get(0);
    assertThat(entry.getStatus()).isEqualTo(AutoMLTrainingJobStatus.RUNNING);
    assertThat(entry.getAirflowState()).isEqualTo("running");

    // The DAG's task: the trainer inside dag-helper wrap.
    DagHelperCli.Result task =
        dagHelper.run(
            "wrap",
            "--training-job",
            jobId.toString(),
            "--",
            "sh",
            "-c",
            "echo '{\"mlflow_run_id\":\"mlf-77\",\"registered_model_name\":\"churn-model\"}'"
                + " > \"$MODELPLANE_RESULT_FILE\"");
    assertThat(task.exitCode()).as(task.toString()).isZero();

    AutoMLTrainingJobResponse done = client.trainingJobs().waitForTerminal(jobId, WAIT);
    assertThat(done.getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertThat(done.getMlflowRunId()).isEqualTo("mlf-77");
    assertThat(done.getRegisteredModelName()).isEqualTo("churn-model");
    List<TrainingJobEvent> events = client.trainingJobs().events(jobId);
    assertThat(events)
        .extracting(TrainingJobEvent::getToStatus)
        .containsExactly(
            AutoMLTrainingJobStatus.READY,
            AutoMLTrainingJobStatus.QUEUED,
            AutoMLTrainingJobStatus.RUNNING,
            AutoMLTrainingJobStatus.COMPLETE);
    assertThat(events.get(2).getActor()).isEqualTo("airflow-reconcile");
    assertThat(externals.successfulTriggers(dagRunId)).isEqualTo(1);
    assertThat(
            server
                .database()
                .rows("SELECT kind, state, attempts FROM outbox_tasks WHERE job_id = ?", jobId))
        .containsExactly(Map.of("kind", "trigger_training", "state", "done", "attempts", 1));
  }

  @Test
  void aFailedJobTriggeredAgainRunsAsASecondAttemptWithADagRunOfItsOwn() {
    UUID jobId = client.trainingJobs().create(Fixtures.job("retrain", true)).getJobId();
    String first = "modelplane__" + jobId + "__1";
    String second = "modelplane__" + jobId + "__2";
    client
        .trainingJobs()
        .updateStatus(
            jobId,
            new AutoMLTrainingStatusUpdate()
                .status(AutoMLTrainingJobStatus.FAILED)
                .errorMessage("executor lost"));

    AutoMLTrainingJobResponse again = client.trainingJobs().trigger(jobId);

    assertThat(again.getStatus()).isEqualTo(AutoMLTrainingJobStatus.QUEUED);
    assertThat(again.getAttempt()).isEqualTo(2);
    assertThat(again.getAirflowDagRunId()).isEqualTo(second);
    Await.until(
        "both attempts to reach Airflow",
        WAIT,
        () ->
            externals.successfulTriggers(first) == 1 && externals.successfulTriggers(second) == 1);
    Await.sleep(300); // a second delivery would come within a few polls
    assertThat(externals.successfulTriggers(first)).isEqualTo(1);
    assertThat(externals.successfulTriggers(second)).isEqualTo(1);
  }

  @Test
  void theSameWritebackFiveTimesRecordsOneTransition() {
    UUID jobId = client.trainingJobs().create(Fixtures.job("dup", false)).getJobId();
    AutoMLTrainingStatusUpdate complete =
        new AutoMLTrainingStatusUpdate()
            .status(AutoMLTrainingJobStatus.COMPLETE)
            .mlflowRunId("mlf-5");
    client
        .trainingJobs()
        .updateStatus(
            jobId, new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.RUNNING));

    for (int i = 0; i < 5; i++) {
      assertThat(client.trainingJobs().updateStatus(jobId, complete).getStatus())
          .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    }

    assertThat(client.trainingJobs().events(jobId))
        .extracting(TrainingJobEvent::getToStatus)
        .containsExactly(
            AutoMLTrainingJobStatus.READY,
            AutoMLTrainingJobStatus.RUNNING,
            AutoMLTrainingJobStatus.COMPLETE);
    assertThat(
            server
                .database()
                .number("SELECT count(*) FROM training_job_events WHERE job_id = ?", jobId))
        .isEqualTo(3);
  }

  // ------------------------------------------------------------------ deployments

  @Test
  void deploymentLivesFromCreateThroughScheduledAndManualRunsToArchived() throws Exception {
    String model = Fixtures.unique("churn");
    String name = Fixtures.unique("nightly");
    externals.mlflowVersion(model, "3");

    DeploymentResponse created =
        client.deployments().create(model, Fixtures.deployment(name, model, "3"));

    assertThat(created.getStatus()).isIn(DeploymentStatus.DEPLOYING, DeploymentStatus.ACTIVE);
    assertThat(created.getResolvedModelVersion()).isEqualTo("3");
    assertThat(created.getRenderedDag()).contains("0 3 * * *");
    String dagId = created.getDagId();
    DeploymentResponse active = awaitStatus(model, name, DeploymentStatus.ACTIVE);
    assertThat(active.getDagS3Uri()).endsWith(dagId + ".py");
    assertThat(externals.successfulPauseChanges(dagId, false)).isEqualTo(1);
    assertThat(externals.mlflowVersionChecks(model)).isEqualTo(1);

    // Airflow's scheduler starts the nightly runs; their tasks report through dag-helper.
    String night1 = "scheduled__2026-11-24T03:00:00+00:00";
    assertThat(runStatus(model, name, night1, "running").exitCode()).isZero();
    assertThat(runStatus(model, name, night1, "succeeded", "--rows-scored", "120345").exitCode())
        .isZero();
    String night2 = "scheduled__2026-11-25T03:00:00+00:00";
    DagHelperCli.Result wrapped =
        dagHelper.run(
            Map.of("AIRFLOW_CTX_DAG_RUN_ID", night2, "AIRFLOW_CTX_DAG_ID", dagId),
            "wrap",
            "--model",
            model,
            "--deployment",
            name,
            "--",
            "sh",
            "-c",
            "echo '{\"rows_scored\": 77}' > \"$MODELPLANE_RESULT_FILE\"");
    assertThat(wrapped.exitCode()).as(wrapped.toString()).isZero();
    String night3 = "scheduled__2026-11-26T03:00:00+00:00";
    record(model, name, night3, DeploymentRunStatus.RUNNING, null);
    client
        .deploymentRuns()
        .record(
            model,
            name,
            new BatchRunCallback()
                .airflowRunId(night3)
                .status(DeploymentRunStatus.FAILED)
                .errorMessage("spark executor lost"));
    record(model, name, night3, DeploymentRunStatus.RUNNING, null); // Airflow's task retry
    record(model, name, night3, DeploymentRunStatus.SUCCEEDED, 99L);

    // A manual run with overrides goes to Airflow through the outbox, once.
    DeploymentRunSummary queued =
        client
            .deployments()
            .trigger(
                model,
                name,
                new DeploymentTriggerRequest().snapshotId(42L).tags(Map.of("reason", "backfill")));
    assertThat(queued.getStatus()).isEqualTo(DeploymentRunStatus.QUEUED);
    String manual = queued.getAirflowRunId();
    Await.until(
        "Airflow to get the manual run", WAIT, () -> externals.successfulTriggers(manual) == 1);
    JsonNode conf = externals.acceptedRuns(dagId).get(0).path("conf");
    assertThat(conf.path("run_id").asText()).isEqualTo(queued.getRunId().toString());
    assertThat(conf.path("snapshot_id").asLong()).isEqualTo(42L);
    assertThat(conf.path("tags").path("reason").asText()).isEqualTo("backfill");
    record(model, name, manual, DeploymentRunStatus.RUNNING, null);
    record(model, name, manual, DeploymentRunStatus.SUCCEEDED, 500L);
    DeploymentRunSummary finished =
        client.deploymentRuns().waitForTerminal(model, name, queued.getRunId(), WAIT);
    assertThat(finished.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(finished.getSnapshotId()).isEqualTo(42L);
    assertThat(finished.getModelVersion()).isEqualTo("3");

    List<DeploymentRunSummary> runs = client.deploymentRuns().listAll(model, name, null).toList();
    assertThat(runs)
        .extracting(DeploymentRunSummary::getAirflowRunId)
        .containsExactlyInAnyOrder(night1, night2, night3, manual);
    assertThat(runs)
        .allSatisfy(run -> assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED));
    assertThat(runs)
        .allSatisfy(
            run -> {
              assertThat(run.getStartedAt()).isNotNull();
              assertThat(run.getFinishedAt()).isNotNull();
            });
    assertThat(runs)
        .filteredOn(run -> run.getAirflowRunId().equals(night1))
        .singleElement()
        .satisfies(run -> assertThat(run.getRowsScored()).isEqualTo(120345L));
    assertThat(runs)
        .filteredOn(run -> run.getAirflowRunId().equals(night2))
        .singleElement()
        .satisfies(run -> assertThat(run.getRowsScored()).isEqualTo(77L));
    assertThat(client.deployments().get(model, name).getLastRun().getAirflowRunId())
        .isEqualTo(manual);

    // A schedule change with If-Match: the current ETag wins, a stale one is 412.
    ApiResponse<DeploymentResponse> read =
        client.call(
            () ->
                client
                    .deploymentsApi()
                    .getDeploymentApiModelsModelDeploymentsNameGetWithHttpInfo(model, name));
    String etag = read.getHeaders().get("etag").get(0);
    DeploymentResponse rescheduled =
        client
            .deployments()
            .update(model, name, new DeploymentUpdate().schedule("30 4 * * *"), etag);
    assertThat(rescheduled.getSchedule()).isEqualTo("30 4 * * *");
    assertThat(rescheduled.getRenderedDag()).contains("30 4 * * *");
    assertThatThrownBy(
            () ->
                client
                    .deployments()
                    .update(model, name, new DeploymentUpdate().schedule("0 5 * * *"), etag))
        .asInstanceOf(type(ConflictException.class))
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo(412));

    // Stop pauses the DAG in Airflow, start unpauses it, archive deletes it.
    assertThat(client.deployments().stop(model, name).getStatus())
        .isEqualTo(DeploymentStatus.STOPPED);
    Await.until(
        "Airflow to pause the DAG", WAIT, () -> externals.successfulPauseChanges(dagId, true) == 1);
    assertThat(client.deployments().start(model, name).getStatus())
        .isEqualTo(DeploymentStatus.ACTIVE);
    Await.until(
        "Airflow to unpause the DAG again",
        WAIT,
        () -> externals.successfulPauseChanges(dagId, false) == 2);
    List<DeploymentEvent> events =
        client.call(() -> client.deploymentsApi().listDeploymentEvents(model, name)).getItems();
    assertThat(events)
        .filteredOn(e -> e.getKind().equals("status"))
        .extracting(e -> e.getFromStatus() + "→" + e.getToStatus())
        .containsExactly(
            "null→pending",
            "pending→deploying",
            "deploying→active",
            "active→stopped",
            "stopped→active");
    assertThat(events).filteredOn(e -> e.getKind().equals("rendered")).hasSize(1);
    assertThat(client.deployments().archive(model, name).getStatus())
        .isEqualTo(DeploymentStatus.ARCHIVED);
    Await.until(
        "Airflow to delete the DAG",
        WAIT,
        () -> externals.requests("DELETE", "/api/v2/dags/" + dagId) == 1);
    // Archived: the name is free again, the history stays.
    assertThatThrownBy(() -> client.deployments().get(model, name))
        .isInstanceOf(NotFoundException.class);
    assertThat(
            server
                .database()
                .rows(
                    "SELECT e.from_status, e.to_status FROM deployment_events e JOIN deployments d"
                        + " ON d.deployment_id = e.deployment_id WHERE d.dag_id = ?"
                        + " AND e.kind = 'status' ORDER BY e.event_id DESC LIMIT 1",
                    dagId))
        .containsExactly(Map.of("from_status", "active", "to_status", "archived"));
    assertThat(
            server
                .database()
                .rows(
                    "SELECT t.kind, t.state FROM outbox_tasks t JOIN deployments d"
                        + " ON d.deployment_id = t.deployment_id WHERE d.dag_id = ?"
                        + " ORDER BY t.task_id",
                    dagId))
        .extracting(row -> row.get("kind") + ":" + row.get("state"))
        .containsExactly(
            "publish_dag:done",
            "trigger_run:done",
            "pause_dag:done",
            "unpause_dag:done",
            "delete_dag:done");
  }

  @Test
  void anAliasIsResolvedInMlflowAndFollowedWhenARunStarts() {
    String model = Fixtures.unique("fraud");
    String name = Fixtures.unique("hourly");
    externals.mlflowAlias(model, "champion", "3");

    DeploymentResponse created =
        client.deployments().create(model, Fixtures.aliasDeployment(name, model, "champion"));
    assertThat(created.getResolvedModelVersion()).isEqualTo("3");
    awaitStatus(model, name, DeploymentStatus.ACTIVE);

    externals.mlflowAlias(model, "champion", "4"); // promoted in MLflow
    DeploymentRunSummary run = client.deployments().trigger(model, name, null);

    assertThat(run.getModelVersion()).isEqualTo("4");
    DeploymentResponse now = client.deployments().get(model, name);
    assertThat(now.getResolvedModelVersion()).isEqualTo("4");
    assertThat(now.getRenderedDag()).containsPattern("model_version\\W+4\\W");
    assertThat(
            client.call(() -> client.deploymentsApi().listDeploymentEvents(model, name)).getItems())
        .filteredOn(e -> e.getKind().equals("model_version"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("3 → 4"));
    Await.until(
        "Airflow to get the run",
        WAIT,
        () -> externals.successfulTriggers(run.getAirflowRunId()) == 1);
  }

  @Test
  void aTriggerRetriedWithTheSameIdempotencyKeyQueuesOneRunAndOneDagRun() {
    String model = Fixtures.unique("churn");
    String name = Fixtures.unique("adhoc");
    externals.mlflowVersion(model, "1");
    client.deployments().create(model, Fixtures.deployment(name, model, "1"));
    awaitStatus(model, name, DeploymentStatus.ACTIVE);
    String key = "nightly-backfill-" + UUID.randomUUID();
    DeploymentTriggerRequest request = new DeploymentTriggerRequest().snapshotId(7L);

    DeploymentRunSummary first = client.deployments().trigger(model, name, request, key);
    DeploymentRunSummary replay = client.deployments().trigger(model, name, request, key);

    assertThat(replay.getRunId()).isEqualTo(first.getRunId());
    Await.until(
        "Airflow to get the run",
        WAIT,
        () -> externals.successfulTriggers(first.getAirflowRunId()) == 1);
    Await.sleep(300);
    assertThat(externals.acceptedRuns(client.deployments().get(model, name).getDagId())).hasSize(1);
    assertThat(client.deploymentRuns().listAll(model, name, null).toList()).hasSize(1);
  }

  @Test
  void theSameRunCallbackDeliveredFiveTimesRecordsOneRunOnce() {
    String model = Fixtures.unique("churn");
    String name = Fixtures.unique("dup");
    createActive(model, name);
    String runId = "scheduled__2026-12-01T03:00:00+00:00";

    for (int i = 0; i < 5; i++) {
      record(model, name, runId, DeploymentRunStatus.RUNNING, null);
    }
    DeploymentRunSummary first = record(model, name, runId, DeploymentRunStatus.SUCCEEDED, 1000L);
    for (int i = 0; i < 4; i++) {
      DeploymentRunSummary again = record(model, name, runId, DeploymentRunStatus.SUCCEEDED, 1000L);
      assertThat(again.getRunId()).isEqualTo(first.getRunId());
      assertThat(again.getFinishedAt()).isEqualTo(first.getFinishedAt());
    }

    List<DeploymentRunSummary> runs = client.deploymentRuns().listAll(model, name, null).toList();
    assertThat(runs)
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
              assertThat(run.getRowsScored()).isEqualTo(1000L);
            });
    assertThat(
            server
                .database()
                .number(
                    "SELECT count(*) FROM deployment_runs r JOIN deployments d"
                        + " ON d.deployment_id = r.deployment_id"
                        + " WHERE d.model_name = ? AND r.airflow_run_id = ?",
                    model,
                    runId))
        .isEqualTo(1);
  }

  @Test
  void aRunningCallbackArrivingAfterSucceededIsRefusedAndChangesNothing() {
    String model = Fixtures.unique("churn");
    String name = Fixtures.unique("late");
    createActive(model, name);
    String runId = "scheduled__2026-12-02T03:00:00+00:00";
    // The success overtakes the start (queued → succeeded is allowed for a run first seen).
    DeploymentRunSummary succeeded =
        record(model, name, runId, DeploymentRunStatus.SUCCEEDED, 321L);

    assertThatThrownBy(() -> record(model, name, runId, DeploymentRunStatus.RUNNING, null))
        .asInstanceOf(type(ConflictException.class))
        .satisfies(
            e -> {
              assertThat(e.getStatus()).isEqualTo(409);
              assertThat(e.getMessage()).contains("succeeded");
            });
    DagHelperCli.Result late = runStatus(model, name, runId, "running");
    assertThat(late.exitCode()).as(late.toString()).isEqualTo(3); // rejected, not retried
    assertThat(late.stderr()).contains("HTTP 409");

    DeploymentRunSummary now = client.deploymentRuns().get(model, name, succeeded.getRunId());
    assertThat(now.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(now.getRowsScored()).isEqualTo(321L);
    assertThat(now.getFinishedAt()).isEqualTo(succeeded.getFinishedAt());

    // The same for a training job: complete is final.
    UUID jobId = client.trainingJobs().create(Fixtures.job("late", false)).getJobId();
    writeback(jobId, AutoMLTrainingJobStatus.RUNNING);
    writeback(jobId, AutoMLTrainingJobStatus.COMPLETE);
    assertThatThrownBy(
            () ->
                client
                    .trainingJobs()
                    .updateStatus(
                        jobId,
                        new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.RUNNING)))
        .isInstanceOf(ConflictException.class);
    assertThat(client.trainingJobs().get(jobId).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
  }

  @Test
  void dagHelperRunStatusRecordsARunWithRowsScoredFromTheAirflowContext() {
    String model = Fixtures.unique("churn");
    String name = Fixtures.unique("nightly");
    createActive(model, name);
    String airflowRunId = "scheduled__2026-12-03T03:00:00+00:00";

    DagHelperCli.Result result =
        dagHelper.run(
            Map.of("AIRFLOW_CTX_DAG_RUN_ID", airflowRunId, "AIRFLOW_CTX_DAG_ID", "batch"),
            "run-status",
            "--model",
            model,
            "--deployment",
            name,
            "--status",
            "succeeded",
            "--rows-scored",
            "1200");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stderr()).contains("run_id=" + airflowRunId);
    assertThat(client.deploymentRuns().listAll(model, name, null).toList())
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.getAirflowRunId()).isEqualTo(airflowRunId);
              assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
              assertThat(run.getRowsScored()).isEqualTo(1200L);
              assertThat(run.getModelVersion()).isEqualTo("2");
            });
    assertThat(
            server
                .database()
                .rows(
                    "SELECT r.status, r.rows_scored FROM deployment_runs r JOIN deployments d"
                        + " ON d.deployment_id = r.deployment_id"
                        + " WHERE d.model_name = ? AND r.airflow_run_id = ?",
                    model,
                    airflowRunId))
        .containsExactly(Map.of("status", "succeeded", "rows_scored", 1200L));
  }

  // ------------------------------------------------------------------ Keycloak users

  @Test
  void keycloakTokensCheckedAgainstTheJwksActAsTheirUserWithTheirRoles() {
    TestIssuer issuer = externals.issuer();
    ModelplaneClient ana = bearer(issuer.token("ana", List.of("data-science")));
    ModelplaneClient bo = bearer(issuer.token("bo", List.of("data-science")));
    ModelplaneClient admin = bearer(issuer.token("root", List.of("modelplane-admin")));

    AutoMLTrainingJobResponse job = ana.trainingJobs().create(Fixtures.job("mine", false));
    assertThat(job.getOwner()).isEqualTo("ana");
    assertThat(bo.trainingJobs().get(job.getJobId()).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.READY);
    assertThatThrownBy(() -> bo.trainingJobs().cancel(job.getJobId()))
        .isInstanceOf(ForbiddenException.class);
    assertThat(ana.trainingJobs().cancel(job.getJobId()).getErrorMessage())
        .isEqualTo("cancelled by ana");
    assertThatThrownBy(
            () ->
                bearer(issuer.token("ana", List.of("data-science"), "another-client"))
                    .trainingJobs()
                    .get(job.getJobId()))
        .isInstanceOf(UnauthorizedException.class);

    // An administrator issues a user PSK; the key then acts as its owner.
    PskCreated key =
        admin
            .keys()
            .create(
                new PskCreate()
                    .name("ana laptop")
                    .owner("ana")
                    .roles(List.of("data-science"))
                    .validityDays(1));
    ModelplaneClient withKey = server.unauthenticatedClientBuilder().psk(key.getSecret()).build();
    assertThat(withKey.trainingJobs().get(job.getJobId()).getOwner()).isEqualTo("ana");
    assertThatThrownBy(() -> withKey.keys().list(false)).isInstanceOf(ForbiddenException.class);
    assertThat(externals.requests("GET", TestIssuer.JWKS_PATH)).isPositive();
  }

  // ------------------------------------------------------------------ helpers

  private static AutoMLTrainingJobResponse writeback(UUID jobId, AutoMLTrainingJobStatus status) {
    return client
        .trainingJobs()
        .updateStatus(jobId, new AutoMLTrainingStatusUpdate().status(status));
  }

  private static ModelplaneClient bearer(String token) {
    return server.unauthenticatedClientBuilder().bearerToken(() -> token).build();
  }

  private static void createActive(String model, String name) {
    externals.mlflowVersion(model, "2");
    client.deployments().create(model, Fixtures.deployment(name, model, "2"));
    awaitStatus(model, name, DeploymentStatus.ACTIVE);
  }

  private static DeploymentResponse awaitStatus(
      String model, String name, DeploymentStatus status) {
    return Await.value(
        "deployment " + name + " to be " + status,
        WAIT,
        () -> client.deployments().get(model, name),
        d -> d.getStatus() == status);
  }

  private static DeploymentRunSummary record(
      String model, String name, String airflowRunId, DeploymentRunStatus status, Long rows) {
    return client
        .deploymentRuns()
        .record(
            model,
            name,
            new BatchRunCallback().airflowRunId(airflowRunId).status(status).rowsScored(rows));
  }

  private static DagHelperCli.Result runStatus(
      String model, String name, String airflowRunId, String status, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("run-status", "--model", model, "--deployment", name, "--status", status));
    args.addAll(List.of(more));
    return dagHelper.run(
        Map.of("AIRFLOW_CTX_DAG_RUN_ID", airflowRunId), args.toArray(String[]::new));
  }
}
