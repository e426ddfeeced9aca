package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.Runs;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.DeploymentTriggerRequest;
import io.modelplane.client.model.SourceTable;
import io.modelplane.client.model.TargetTable;
import io.modelplane.testsupport.airflow.AirflowTaskRunner;
import io.modelplane.testsupport.airflow.AirflowTaskRunner.TaskResult;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.mlflow.PythonModel;
import io.modelplane.testsupport.s3.S3TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scoring chain end to end: the server (on PostgreSQL) renders a deployment's scoring DAG; the
 * DAG's task is executed as an Airflow worker would (under the {@code airflow} stand-in) with the
 * built dag-helper and runner jars; the runner reads an Iceberg table of a JDBC catalog in
 * PostgreSQL whose warehouse is on an S3-protocol server, loads an XGBoost model that a Python user
 * registered in MLflow (the stand-in), writes the predictions, and the run ends on the server with
 * what the scorer did. A manual run's overrides (model version, target table, settings) travel from
 * the trigger through Airflow's conf to the scorer, which writes the override table.
 */
class ScoringChainIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ROWS = 400;

  private static ExternalSystems external;
  private static MlflowStandIn mlflow;
  private static S3TestServer s3;
  private static PostgresDatabase catalogDatabase;
  private static ServerUnderTest server;
  private static AirflowTaskRunner airflow;
  private static Path work;
  private static Map<String, String> runnerEnv;
  private static String modelVersion;

  @BeforeAll
  static void startEverything() throws IOException {
    work = Files.createTempDirectory(BuiltJars.workDir().toAbsolutePath(), "scoring-chain-");
    external = new ExternalSystems();
    mlflow = MlflowStandIn.start();
    s3 = S3TestServer.start();
    s3.createBucket("lake");
    catalogDatabase = PostgresDatabase.create();
    Map<String, String> serverEnv = new LinkedHashMap<>(external.airflowEnv());
    serverEnv.put("MODELPLANE_MLFLOW_URL", mlflow.url());
    server = ServerUnderTest.onPostgres("scoring-chain", serverEnv);
    airflow = AirflowTaskRunner.create();

    runnerEnv = new LinkedHashMap<>();
    runnerEnv.put("MODELPLANE_ICEBERG_CATALOG_TYPE", "jdbc");
    runnerEnv.put("MODELPLANE_ICEBERG_URI", catalogDatabase.url());
    runnerEnv.put("MODELPLANE_ICEBERG_JDBC_USER", catalogDatabase.user());
    runnerEnv.put("MODELPLANE_ICEBERG_JDBC_PASSWORD", catalogDatabase.password());
    runnerEnv.put("MODELPLANE_ICEBERG_WAREHOUSE", "s3://lake/warehouse");
    runnerEnv.put("MODELPLANE_S3_ENDPOINT", s3.endpoint().toString());
    runnerEnv.put("MODELPLANE_S3_REGION", "us-east-1");
    runnerEnv.put("MODELPLANE_S3_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
    runnerEnv.put("MODELPLANE_S3_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
    runnerEnv.put("MODELPLANE_SPARK_MASTER", "local[2]");
    runnerEnv.put("MODELPLANE_MLFLOW_URL", mlflow.url());
    runnerEnv.put("SPARK_LOCAL_IP", "127.0.0.1");

    RunnerCli runner = new RunnerCli(runnerEnv);
    // A Python user's model: XGBoost's own JSON file, made here by XGBoost4J, logged with
    // mlflow.xgboost.log_model(registered_model_name="churn-xgb").
    Path maker = work.resolve("MakeXgboostModel.java");
    try (InputStream source =
        ScoringChainIT.class.getResourceAsStream("/scoring/MakeXgboostModel.java")) {
      Files.copy(source, maker);
    }
    Path modelFile = work.resolve("model.json");
    RunnerCli.Result made = runner.runSource(maker, modelFile.toString(), "500");
    assertThat(made.exitCode()).as(made.toString()).isZero();
    modelVersion =
        mlflow
            .registerPythonModel(
                PythonModel.xgboost(
                    "churn-xgb", "json", Files.readAllBytes(modelFile), List.of("f1", "f2")))
            .version();

    // The source: a CSV loaded with the runner's table import (the README's tour).
    importCsv(runner, "crm.customers", true);
    importCsv(runner, "crm.customers_without_f2", false);
  }

  @AfterAll
  static void stopEverything() {
    for (AutoCloseable closeable :
        new AutoCloseable[] {airflow, server, catalogDatabase, s3, mlflow, external}) {
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
  void theRenderedScoringDagScoresWithTheRunnerAndTheRunSucceedsWithItsRowsScored()
      throws IOException {
    ModelplaneClient client = server.client();
    String name = Fixtures.unique("chain");
    Path dag = deploy(client, name, "customers");

    String runId = "scheduled__2026-03-01T00:00:00+00:00";
    TaskResult task = runScoreTask(dag, runId, "2026-03-01T00:00:00+00:00");
    assertThat(task.exitCode()).as(task.output()).isZero();

    DeploymentRunSummary run = runOf(client, name, runId);
    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    List<String> written = exportTarget("crm.churn_predictions");
    long inPartition =
        written.stream()
            .filter(line -> line.contains(runId) && line.contains("2026-03-01"))
            .count();
    assertThat(inPartition).isEqualTo(ROWS / 2); // the filter keeps region EU
    assertThat(run.getRowsScored()).isEqualTo(inPartition);

    // The next night's run writes its own partition and leaves this one as it was.
    String next = "scheduled__2026-03-02T00:00:00+00:00";
    TaskResult nextTask = runScoreTask(dag, next, "2026-03-02T00:00:00+00:00");
    assertThat(nextTask.exitCode()).as(nextTask.output()).isZero();
    List<String> both = exportTarget("crm.churn_predictions");
    assertThat(both.stream().filter(line -> line.contains(runId))).hasSize(ROWS / 2);
    assertThat(both.stream().filter(line -> line.contains(next))).hasSize(ROWS / 2);
    assertThat(runOf(client, name, next).getRowsScored()).isEqualTo((long) (ROWS / 2));
    assertThat(both.get(0))
        .isEqualTo(
            "customer_id,prediction,probability,model_name,model_version,airflow_run_id,scored_at");
  }

  @Test
  void aSourceWithoutTheModelsColumnFailsTheRunWithTheScorersReason() throws IOException {
    ModelplaneClient client = server.client();
    String name = Fixtures.unique("broken");
    Path dag = deploy(client, name, "customers_without_f2");

    String runId = "manual__2026-03-02T00:00:00+00:00";
    TaskResult task = runScoreTask(dag, runId, "2026-03-02T00:00:00+00:00");
    assertThat(task.exitCode()).as(task.output()).isEqualTo(1);

    DeploymentRunSummary run = runOf(client, name, runId);
    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.FAILED);
    assertThat(run.getErrorMessage())
        .contains(
            "modelplane-runner: source table iceberg.crm.customers_without_f2 has no column f2");
  }

  @Test
  void aManualRunWithOverridesWritesTheOverrideTableAndRecordsWhatItUsed() throws IOException {
    ModelplaneClient client = server.client();
    String name = Fixtures.unique("override");
    Path dag = deploy(client, name, "customers");
    String dagId = client.deployments().get("churn-xgb", name).getDagId();

    DeploymentRunSummary queued =
        client
            .deployments()
            .trigger(
                "churn-xgb",
                name,
                new DeploymentTriggerRequest()
                    .modelVersion(modelVersion)
                    .target(new TargetTable().schema("crm").table("churn_tryout"))
                    .settings(Map.of("threshold", 0.5, "note", "a tryout")));
    assertThat(queued.getTargetOverridden()).isTrue();
    // What Airflow received is what the DAG's task runs with.
    JsonNode accepted =
        Await.value(
                "the trigger of " + queued.getAirflowRunId() + " in Airflow",
                WAIT,
                () -> external.acceptedRuns(dagId),
                runs -> !runs.isEmpty())
            .get(0);
    JsonNode conf = accepted.get("conf");
    assertThat(conf.get("target").get("table").asText()).isEqualTo("churn_tryout");
    assertThat(conf.get("model_version").asText()).isEqualTo(modelVersion);
    assertThat(conf.get("settings").get("note").asText()).isEqualTo("a tryout");

    TaskResult task =
        runScoreTask(dag, queued.getAirflowRunId(), "2026-03-05T00:00:00+00:00", conf.toString());
    assertThat(task.exitCode()).as(task.output()).isZero();

    DeploymentRunSummary run = runOf(client, name, queued.getAirflowRunId());
    assertThat(run.getStatus()).isEqualTo(DeploymentRunStatus.SUCCEEDED);
    assertThat(run.getTarget().getTable()).isEqualTo("churn_tryout");
    assertThat(run.getModelVersion()).isEqualTo(modelVersion);
    assertThat(run.getSettings()).containsEntry("note", "a tryout");
    List<String> written = exportTarget("crm.churn_tryout");
    assertThat(written.stream().filter(line -> line.contains(queued.getAirflowRunId())))
        .hasSize(ROWS / 2);
    assertThat(run.getRowsScored()).isEqualTo((long) (ROWS / 2));
    // The cross-deployment list finds it by its deployment.
    assertThat(
            client.runs().listAll(new Runs.Filter().deployment("churn-xgb", name)).toList().stream()
                .map(DeploymentRunSummary::getRunId))
        .containsExactly(queued.getRunId());
  }

  private static Path deploy(ModelplaneClient client, String name, String sourceTable)
      throws IOException {
    DeploymentCreate create = Fixtures.deployment(name, "churn-xgb", modelVersion);
    create.source(new SourceTable().schema("crm").table(sourceTable).filterSql("region = 'EU'"));
    create.schedule(null);
    client.deployments().create("churn-xgb", create);
    DeploymentResponse active = awaitActive(client, name);
    Path dag = work.resolve(active.getDagId() + ".py");
    Files.writeString(dag, active.getRenderedDag());
    return dag;
  }

  private static DeploymentResponse awaitActive(ModelplaneClient client, String name) {
    return Await.value(
        "deployment " + name + " active",
        WAIT,
        () -> client.deployments().get("churn-xgb", name),
        deployment -> deployment.getStatus() == DeploymentStatus.ACTIVE);
  }

  private static TaskResult runScoreTask(Path dag, String runId, String logicalDate) {
    return runScoreTask(dag, runId, logicalDate, "{}");
  }

  private static TaskResult runScoreTask(Path dag, String runId, String logicalDate, String conf) {
    Map<String, String> env = new LinkedHashMap<>(runnerEnv);
    env.put("MODELPLANE_URL", server.baseUrl());
    env.put("MODELPLANE_PSK", server.psk());
    env.put("MODELPLANE_JAVA", ChildJvm.launcher().toString());
    env.put("MODELPLANE_DAG_HELPER_JAR", BuiltJars.dagHelper().toString());
    env.put("MODELPLANE_RUNNER_JAR", BuiltJars.runner().toString());
    return airflow.run(
        dag,
        "score",
        List.of("--run-id", runId, "--conf", conf, "--logical-date", logicalDate),
        env);
  }

  private static DeploymentRunSummary runOf(ModelplaneClient client, String name, String runId) {
    return client.deploymentRuns().listAll("churn-xgb", name, null).toList().stream()
        .filter(run -> runId.equals(run.getAirflowRunId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the server has no run " + runId));
  }

  private static void importCsv(RunnerCli runner, String table, boolean withF2) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(withF2 ? "customer_id,region,f1,f2" : "customer_id,region,f1");
    for (int id = 1; id <= ROWS; id++) {
      double f1 = (id % 97) / 10.0;
      double f2 = ((id * 7) % 31) / 3.0;
      String region = id % 2 == 0 ? "EU" : "US";
      lines.add(id + "," + region + "," + f1 + (withF2 ? "," + f2 : ""));
    }
    Path csv = work.resolve(table + ".csv");
    Files.write(csv, lines);
    RunnerCli.Result imported =
        runner.run("table", "import", "--table", table, "--csv", csv.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
  }

  private static List<String> exportTarget(String table) throws IOException {
    Path csv = work.resolve(table + "-" + System.nanoTime() + ".csv");
    RunnerCli.Result exported =
        new RunnerCli(runnerEnv).run("table", "export", "--table", table, "--csv", csv.toString());
    assertThat(exported.exitCode()).as(exported.toString()).isZero();
    return Files.readAllLines(csv);
  }
}
