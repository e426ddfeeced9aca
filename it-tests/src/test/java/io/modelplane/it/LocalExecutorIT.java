package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.WaitListener;
import io.modelplane.client.model.AutoMLAlgorithm;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentTriggerRequest;
import io.modelplane.client.model.ExecutorKind;
import io.modelplane.client.model.Preset;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.RerunBehavior;
import io.modelplane.client.model.SourceTable;
import io.modelplane.client.model.TargetTable;
import io.modelplane.client.model.TrainingJobEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The embedded default doing the work: the server jar on H2 without Airflow runs training jobs and
 * scoring runs itself (the local executor), as child processes of the built dag-helper and runner
 * jars with real Spark (local[2]) against the MLflow stand-in. Then a cron schedule fires per tick,
 * and a server killed with SIGKILL while a child runs ends that run as failed on its next start and
 * still runs the queued work once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalExecutorIT {
  private static final Duration TRAIN = Duration.ofMinutes(4);
  private static final Duration SCORE = Duration.ofMinutes(3);
  private static final String MANUAL =
      "^manual__\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00$";

  private static EmbeddedLocal local;
  private static ServerUnderTest server;
  private static Path work;
  private static RunnerCli runner;
  private static String model;
  private static String deployment;

  @BeforeAll
  static void start() {
    local = EmbeddedLocal.start("local-executor");
    server = local.server();
    work = local.work();
    runner = local.runner();
    Path samples = Path.of(System.getProperty("modelplane.repo.dir")).resolve("docs/samples");
    local.importCsv("crm.churn", samples.resolve("churn.csv"));
    local.importCsv("crm.new_customers", samples.resolve("new_customers.csv"));
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  @Order(1)
  void aTrainingJobAndAScoringRunCompleteThroughTheLocalExecutor() throws IOException {
    ModelplaneClient client = server.client();
    model = Fixtures.unique("churn");
    AutoMLTrainingJobResponse created = client.trainingJobs().create(trainingJob(model));
    assertThat(created.getExecutor()).isEqualTo(ExecutorKind.LOCAL);
    assertThat(created.getAirflowDagUrl()).isNull();

    AutoMLTrainingJobResponse done =
        client.trainingJobs().waitForTerminal(created.getJobId(), TRAIN);

    assertThat(done.getStatus())
        .as(String.valueOf(done.getErrorMessage()))
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertThat(done.getRegisteredModelName()).isEqualTo(model);
    assertThat(done.getAirflowDagRunId()).matches(MANUAL); // as Airflow names a manual run
    List<TrainingJobEvent> events = client.trainingJobs().events(created.getJobId());
    System.out.println(
        "[modelplane-it] local executor, training: "
            + between(events, AutoMLTrainingJobStatus.QUEUED, AutoMLTrainingJobStatus.RUNNING)
            + " ms queued, "
            + between(events, AutoMLTrainingJobStatus.RUNNING, AutoMLTrainingJobStatus.COMPLETE)
            + " ms running (trigger to complete "
            + between(events, AutoMLTrainingJobStatus.QUEUED, AutoMLTrainingJobStatus.COMPLETE)
            + " ms)");
    assertThat(events)
        .extracting(TrainingJobEvent::getToStatus)
        .containsSubsequence(
            AutoMLTrainingJobStatus.QUEUED,
            AutoMLTrainingJobStatus.RUNNING,
            AutoMLTrainingJobStatus.COMPLETE);

    deployment = Fixtures.unique("scores");
    DeploymentCreate request = Fixtures.deployment(deployment, model, "1");
    request.source(new SourceTable().schema("crm").table("new_customers"));
    request.target(new TargetTable().schema("crm").table("churn_scores"));
    request.rerunBehavior(RerunBehavior.APPEND_DEDUP);
    request.schedule("* * * * *");
    request.triggerNow(false);
    DeploymentResponse made = client.deployments().create(model, request);
    assertThat(made.getExecutor()).isEqualTo(ExecutorKind.LOCAL);
    client.deployments().waitForSettled(model, deployment, SCORE, WaitListener.NONE);
    DeploymentRunSummary queued =
        client.deployments().trigger(model, deployment, new DeploymentTriggerRequest());
    DeploymentRunSummary run =
        client.deploymentRuns().waitForTerminal(model, deployment, queued.getRunId(), SCORE);

    assertThat(run.getStatus()).as(run.getErrorMessage()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(run.getRowsScored()).isEqualTo(300L);
    assertThat(run.getAirflowRunId()).matches(MANUAL);
    System.out.println(
        "[modelplane-it] local executor, scoring: "
            + Duration.between(run.getCreatedAt(), run.getStartedAt()).toMillis()
            + " ms queued, "
            + Duration.between(run.getStartedAt(), run.getFinishedAt()).toMillis()
            + " ms running (trigger to succeeded "
            + Duration.between(run.getCreatedAt(), run.getFinishedAt()).toMillis()
            + " ms)");
    long startup = System.nanoTime();
    assertThat(runner.run("table", "snapshots", "--table", "crm.churn").exitCode()).isZero();
    System.out.println(
        "[modelplane-it] local executor: a runner JVM that opens Spark and reads one table's"
            + " snapshots takes "
            + (System.nanoTime() - startup) / 1_000_000
            + " ms");
    Path exported = work.resolve("scores.csv");
    assertThat(
            runner
                .run("table", "export", "--table", "crm.churn_scores", "--csv", exported.toString())
                .exitCode())
        .isZero();
    List<String> lines = Files.readAllLines(exported);
    assertThat(lines.get(0)).startsWith("customer_id,prediction");
    assertThat(lines).hasSize(301);
    server.assertContractKept();
  }

  @Test
  @Order(2)
  void theCronScheduleFiresAndNeverTwiceForOneTick() {
    ModelplaneClient client = server.client();
    List<DeploymentRunSummary> scheduled =
        Await.value(
            "a scheduled run of " + deployment + " succeeded",
            Duration.ofMinutes(4),
            () -> scheduledRuns(client),
            runs -> runs.stream().anyMatch(r -> r.getStatus() == DeploymentRunStatus.SUCCEEDED));
    client.deployments().stop(model, deployment);
    List<DeploymentRunSummary> all = scheduledRuns(client);
    Set<String> ids = new HashSet<>();
    for (DeploymentRunSummary run : all) {
      assertThat(ids.add(run.getAirflowRunId())).as(run.getAirflowRunId()).isTrue();
      assertThat(run.getAirflowRunId())
          .matches("scheduled__\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\+00:00");
    }
    Path logs = server.dataDir().resolve("local-runs");
    assertThat(scheduled).isNotEmpty();
    assertThat(logs).isDirectory();
  }

  @Test
  @Order(3)
  void aSigkilledServersChildIsEndedOnRestartAndQueuedWorkRunsOnce() {
    ModelplaneClient client = server.client();
    AutoMLTrainingJobResponse left =
        client.trainingJobs().create(trainingJob(Fixtures.unique("killed")));
    Await.value(
        "training job " + left.getJobId() + " running",
        TRAIN,
        () -> client.trainingJobs().get(left.getJobId()),
        job -> job.getStatus() == AutoMLTrainingJobStatus.RUNNING);
    String adhoc = Fixtures.unique("adhoc");
    DeploymentCreate request = Fixtures.deployment(adhoc, model, "1");
    request.source(new SourceTable().schema("crm").table("new_customers"));
    request.target(new TargetTable().schema("crm").table("adhoc_scores"));
    request.rerunBehavior(RerunBehavior.APPEND_DEDUP);
    request.schedule(null);
    request.triggerNow(false);
    client.deployments().create(model, request);
    client.deployments().waitForSettled(model, adhoc, SCORE, WaitListener.NONE);
    DeploymentRunSummary waiting =
        client.deployments().trigger(model, adhoc, new DeploymentTriggerRequest());
    List<ProcessHandle> children =
        ProcessHandle.of(server.server().pid()).orElseThrow().descendants().toList();
    assertThat(children).isNotEmpty();

    // No pause: the embedded default writes every commit to disk before answering (WRITE_DELAY=0),
    // so the trigger acknowledged just now survives the SIGKILL.
    server.server().kill();
    assertThat(children.stream().anyMatch(ProcessHandle::isAlive)).isTrue(); // left behind
    server.startAgain(Map.of());

    AutoMLTrainingJobResponse failed =
        client.trainingJobs().waitForTerminal(left.getJobId(), TRAIN);
    assertThat(failed.getStatus()).isEqualTo(AutoMLTrainingJobStatus.FAILED);
    assertThat(failed.getErrorMessage()).contains("the server stopped while the task ran");
    Await.value(
        "the children of the killed server ended",
        Duration.ofSeconds(30),
        () -> children.stream().filter(ProcessHandle::isAlive).count(),
        alive -> alive == 0);
    DeploymentRunSummary ran =
        client.deploymentRuns().waitForTerminal(model, adhoc, waiting.getRunId(), SCORE);
    assertThat(ran.getStatus()).as(ran.getErrorMessage()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(ran.getRowsScored()).isEqualTo(300L);
    server.assertContractKept();
  }

  private static long between(
      List<TrainingJobEvent> events, AutoMLTrainingJobStatus from, AutoMLTrainingJobStatus to) {
    return Duration.between(at(events, from), at(events, to)).toMillis();
  }

  private static java.time.OffsetDateTime at(
      List<TrainingJobEvent> events, AutoMLTrainingJobStatus status) {
    return events.stream()
        .filter(e -> e.getToStatus() == status)
        .findFirst()
        .orElseThrow()
        .getCreatedAt();
  }

  private static List<DeploymentRunSummary> scheduledRuns(ModelplaneClient client) {
    return client.deploymentRuns().listAll(model, deployment, null).toList().stream()
        .filter(r -> r.getAirflowRunId().startsWith("scheduled__"))
        .toList();
  }

  private static AutoMLTrainingJobCreate trainingJob(String name) {
    return new AutoMLTrainingJobCreate()
        .name(name)
        .domain("crm")
        .owner("ana")
        .sourceTable("crm.churn")
        .problemType(ProblemType.BINARY_CLASSIFICATION)
        .algorithm(AutoMLAlgorithm.XGBOOST_CLASSIFIER)
        .preset(Preset.FAST)
        .labelColumn("churned")
        .triggerNow(true);
  }
}
