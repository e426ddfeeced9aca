package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLAlgorithm;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.Preset;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.SourceTable;
import io.modelplane.client.model.TargetTable;
import io.modelplane.client.model.TrainingJobEvent;
import io.modelplane.testsupport.airflow.AirflowTaskRunner;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Train, then score, with real parts: the server renders the training DAG; the Airflow stand-in
 * runs its task, which runs the dag-helper jar's {@code wrap} around the runner jar's {@code train}
 * on an Iceberg table (local[2]) against the MLflow stand-in, and the writebacks move the job to
 * {@code complete}. Then a deployment of the version it registered is rendered, and its scoring
 * task runs the runner's {@code score} with that model on a table of new customers.
 */
class TrainingChainIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CUSTOMERS = 1200;
  private static final int NEW_CUSTOMERS = 300;

  private static ExternalSystems external;
  private static ServerUnderTest server;
  private static MlflowStandIn mlflow;
  private static AirflowTaskRunner airflow;
  private static Path work;
  private static Map<String, String> runnerEnv;

  @BeforeAll
  static void start() throws IOException {
    work = Files.createTempDirectory(BuiltJars.workDir().toAbsolutePath(), "training-chain-");
    external = new ExternalSystems();
    mlflow = MlflowStandIn.start();
    Map<String, String> serverEnv = new LinkedHashMap<>(external.airflowEnv());
    serverEnv.put("MODELPLANE_MLFLOW_URL", mlflow.url());
    server = ServerUnderTest.onH2("training-chain", serverEnv);
    airflow = AirflowTaskRunner.create();
    runnerEnv = new LinkedHashMap<>();
    runnerEnv.put("MODELPLANE_ICEBERG_WAREHOUSE", work.resolve("warehouse").toString());
    runnerEnv.put("MODELPLANE_SPARK_MASTER", "local[2]");
    runnerEnv.put("MODELPLANE_MLFLOW_URL", mlflow.url());
    runnerEnv.put("SPARK_LOCAL_IP", "127.0.0.1");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {airflow, server, mlflow, external}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        System.err.println("[modelplane-it] close failed: " + e);
      }
    }
  }

  @Test
  void theTrainingDagTrainsAndRegistersAndADeploymentOfThatVersionScores() throws IOException {
    RunnerCli runner = new RunnerCli(runnerEnv);
    importCsv(runner, "crm.churn", 0, CUSTOMERS, true);
    importCsv(runner, "crm.new_customers", CUSTOMERS, NEW_CUSTOMERS, false);
    ModelplaneClient client = server.client();

    // Train: ready → running → complete, through the DAG the server rendered.
    AutoMLTrainingJobCreate request =
        new AutoMLTrainingJobCreate()
            .name(Fixtures.unique("churn"))
            .domain("crm")
            .owner("ana")
            .sourceTable("crm.churn")
            .problemType(ProblemType.BINARY_CLASSIFICATION)
            .algorithm(AutoMLAlgorithm.XGBOOST_CLASSIFIER)
            .preset(Preset.FAST)
            .labelColumn("churned")
            .triggerNow(false);
    AutoMLTrainingJobResponse created = client.trainingJobs().create(request);
    assertThat(created.getStatus()).isEqualTo(AutoMLTrainingJobStatus.READY);
    Path trainingDag = work.resolve(created.getAirflowDagId() + ".py");
    Files.writeString(trainingDag, created.getRenderedDag(), StandardCharsets.UTF_8);

    AirflowTaskRunner.TaskResult training =
        airflow.run(trainingDag, "train", "manual__1", "{}", taskEnv());
    assertThat(training.exitCode()).as(training.output()).isZero();

    AutoMLTrainingJobResponse done = client.trainingJobs().get(created.getJobId());
    assertThat(done.getStatus())
        .as(String.valueOf(done.getErrorMessage()))
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    String model = request.getName();
    assertThat(done.getRegisteredModelName()).isEqualTo(model);
    String runId = done.getMlflowRunId();
    assertThat(mlflow.requests("runs/update").get(0).bodyText())
        .contains("\"run_id\":\"" + runId + "\"", "\"status\":\"FINISHED\"");
    assertThat(mlflow.requests("model-versions/create").get(0).bodyText())
        .contains("\"name\":\"" + model + "\"", "\"run_id\":\"" + runId + "\"");
    assertThat(mlflow.requests("experiments/create").get(0).bodyText())
        .contains("automl/crm/" + model);
    assertThat(client.trainingJobs().events(created.getJobId()))
        .extracting(TrainingJobEvent::getToStatus)
        .containsExactly(
            AutoMLTrainingJobStatus.READY,
            AutoMLTrainingJobStatus.RUNNING,
            AutoMLTrainingJobStatus.COMPLETE);

    // Score: a deployment of version 1 of the registered model, run by its scoring DAG.
    String name = Fixtures.unique("nightly");
    DeploymentCreate deployment = Fixtures.deployment(name, model, "1");
    deployment.source(new SourceTable().schema("crm").table("new_customers"));
    deployment.target(new TargetTable().schema("crm").table("churn_scores"));
    deployment.entityColumns(List.of("customer_id"));
    deployment.schedule(null);
    client.deployments().create(model, deployment);
    DeploymentResponse active =
        Await.value(
            "deployment " + name + " active",
            WAIT,
            () -> client.deployments().get(model, name),
            d -> d.getStatus() == DeploymentStatus.ACTIVE);
    Path scoringDag = work.resolve(active.getDagId() + ".py");
    Files.writeString(scoringDag, active.getRenderedDag(), StandardCharsets.UTF_8);

    String airflowRunId = "manual__2026-03-01T00:00:00+00:00";
    AirflowTaskRunner.TaskResult scoring =
        airflow.run(
            scoringDag,
            "score",
            List.of(
                "--run-id",
                airflowRunId,
                "--conf",
                "{}",
                "--logical-date",
                "2026-03-01T00:00:00+00:00"),
            taskEnv());
    assertThat(scoring.exitCode()).as(scoring.output()).isZero();
    DeploymentRunSummary run =
        client.deploymentRuns().listAll(model, name, null).toList().stream()
            .filter(r -> airflowRunId.equals(r.getAirflowRunId()))
            .findFirst()
            .orElseThrow();
    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(run.getRowsScored()).isEqualTo((long) NEW_CUSTOMERS);

    // The predictions, exported: the trained model separates the churners it never saw.
    Path exported = work.resolve("scores.csv");
    RunnerCli.Result export =
        runner.run("table", "export", "--table", "crm.churn_scores", "--csv", exported.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    List<String> lines = Files.readAllLines(exported);
    assertThat(lines.get(0))
        .startsWith("customer_id,prediction,probability,model_name,model_version");
    assertThat(lines).hasSize(NEW_CUSTOMERS + 1);
    int agree = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      int id = Integer.parseInt(cells[0]);
      if (Double.parseDouble(cells[1]) == (churned(id) ? 1.0 : 0.0)) {
        agree++;
      }
    }
    assertThat(agree).isGreaterThan(NEW_CUSTOMERS * 8 / 10);
    server.assertContractKept();
  }

  private static Map<String, String> taskEnv() {
    Map<String, String> env = new LinkedHashMap<>(runnerEnv);
    env.put("MODELPLANE_URL", server.baseUrl());
    env.put("MODELPLANE_PSK", server.psk());
    env.put("MODELPLANE_JAVA", ChildJvm.launcher().toString());
    env.put("MODELPLANE_DAG_HELPER_JAR", BuiltJars.dagHelper().toString());
    env.put("MODELPLANE_RUNNER_JAR", BuiltJars.runner().toString());
    return env;
  }

  /** Customers churn when their tenure is short and their plan basic (the noise is per id). */
  private static boolean churned(int id) {
    return risk(id) > 0;
  }

  private static double risk(int id) {
    Random random = new Random(id);
    int tenure = random.nextInt(60);
    String plan = PLANS[random.nextInt(3)];
    return (30 - tenure) / 10.0 + ("basic".equals(plan) ? 1 : -0.5) + random.nextGaussian() * 0.3;
  }

  private static final String[] PLANS = {"basic", "plus", "pro"};

  private static void importCsv(RunnerCli runner, String table, int from, int count, boolean label)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,tenure,spend,plan" + (label ? ",churned" : ""));
    for (int id = from; id < from + count; id++) {
      Random random = new Random(id);
      int tenure = random.nextInt(60);
      String plan = PLANS[random.nextInt(3)];
      double spend = (id * 37 % 10000) / 100.0;
      lines.add(
          id
              + ","
              + tenure
              + ","
              + spend
              + ","
              + plan
              + (label ? "," + (churned(id) ? 1 : 0) : ""));
    }
    Path csv = work.resolve(table + ".csv");
    Files.write(csv, lines, StandardCharsets.UTF_8);
    RunnerCli.Result imported =
        runner.run("table", "import", "--table", table, "--csv", csv.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
  }
}
