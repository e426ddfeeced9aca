package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLAlgorithm;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.Preset;
import io.modelplane.client.model.ProblemType;
import io.modelplane.client.model.TrainingJobEvent;
import io.modelplane.testsupport.airflow.AirflowTaskRunner;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The training chain with real parts: the server renders the training DAG; the Airflow stand-in
 * runs its task, which runs the dag-helper jar's {@code wrap} around the runner jar's {@code train}
 * on an Iceberg table (local[2]) against the MLflow stand-in; the writebacks move the job.
 */
class TrainingChainIT {

  private static ServerUnderTest server;
  private static ModelplaneClient client;
  private static MlflowStandIn mlflow;
  private static Path workDir;

  @BeforeAll
  static void start() throws IOException {
    server = ServerUnderTest.onH2("training-chain", Map.of());
    client = server.client();
    mlflow = MlflowStandIn.start();
    workDir = Files.createTempDirectory(BuiltJars.workDir().toAbsolutePath(), "training-chain-");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (mlflow != null) {
      mlflow.close();
    }
  }

  @Test
  void theRenderedTrainingDagTrainsRegistersAndCompletesTheJob() throws Exception {
    Map<String, String> runnerEnv = runnerEnvironment();
    Process imported =
        runner(
            runnerEnv, "table", "import", "--table", "crm.churn", "--csv", churnCsv().toString());
    assertThat(imported.exitValue()).as(output(imported)).isZero();

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
    Path dag = workDir.resolve(created.getAirflowDagId() + ".py");
    Files.writeString(dag, created.getRenderedDag(), StandardCharsets.UTF_8);

    Map<String, String> taskEnv = new LinkedHashMap<>(runnerEnv);
    taskEnv.put("MODELPLANE_URL", server.baseUrl());
    taskEnv.put("MODELPLANE_PSK", server.psk());
    taskEnv.put("MODELPLANE_JAVA", BuiltJars.javaExecutable());
    taskEnv.put("MODELPLANE_DAG_HELPER_JAR", BuiltJars.dagHelper().toString());
    taskEnv.put("MODELPLANE_RUNNER_JAR", BuiltJars.runner().toString());
    AirflowTaskRunner.TaskResult task;
    try (AirflowTaskRunner airflow = AirflowTaskRunner.create()) {
      task = airflow.run(dag, "train", "manual__1", "{}", taskEnv);
    }
    assertThat(task.exitCode()).as(task.output()).isZero();

    AutoMLTrainingJobResponse done = client.trainingJobs().get(created.getJobId());
    assertThat(done.getStatus())
        .as(done.getErrorMessage())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertThat(done.getRegisteredModelName()).isEqualTo(request.getName());
    String runId = done.getMlflowRunId();
    assertThat(mlflow.requests("runs/update")).hasSize(1);
    assertThat(mlflow.requests("runs/update").get(0).bodyText())
        .contains("\"run_id\":\"" + runId + "\"", "\"status\":\"FINISHED\"");
    assertThat(mlflow.requests("model-versions/create").get(0).bodyText())
        .contains("\"name\":\"" + request.getName() + "\"", "\"run_id\":\"" + runId + "\"");
    assertThat(mlflow.requests("experiments/create").get(0).bodyText())
        .contains("automl/crm/" + request.getName());
    assertThat(client.trainingJobs().events(created.getJobId()))
        .extracting(TrainingJobEvent::getToStatus)
        .containsExactly(
            AutoMLTrainingJobStatus.READY,
            AutoMLTrainingJobStatus.RUNNING,
            AutoMLTrainingJobStatus.COMPLETE);
    server.assertContractKept();
  }

  private Map<String, String> runnerEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MODELPLANE_ICEBERG_WAREHOUSE", workDir.resolve("warehouse").toString());
    env.put("MODELPLANE_SPARK_MASTER", "local[2]");
    env.put("MODELPLANE_MLFLOW_URL", mlflow.url());
    return env;
  }

  /** 1,200 customers; churned when tenure is short and the plan is basic (plus noise). */
  private static Path churnCsv() throws IOException {
    Random random = new Random(11);
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,tenure,spend,plan,churned");
    String[] plans = {"basic", "plus", "pro"};
    for (int i = 0; i < 1200; i++) {
      int tenure = random.nextInt(60);
      double spend = Math.round(random.nextDouble() * 10000) / 100.0;
      String plan = plans[random.nextInt(3)];
      double risk =
          (30 - tenure) / 10.0 + ("basic".equals(plan) ? 1 : -0.5) + random.nextGaussian() * 0.5;
      lines.add(i + "," + tenure + "," + spend + "," + plan + "," + (risk > 0 ? 1 : 0));
    }
    Path csv = workDir.resolve("churn.csv");
    Files.write(csv, lines, StandardCharsets.UTF_8);
    return csv;
  }

  private static Process runner(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(BuiltJars.javaExecutable(), "-jar", BuiltJars.runner().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("MODELPLANE_"));
    builder.environment().putAll(env);
    Path log = Files.createTempFile(workDir, "runner-", ".log");
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    process.getOutputStream().close();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not end within 10 minutes");
    }
    processLogs.put(process, log);
    return process;
  }

  private static final Map<Process, Path> processLogs = new LinkedHashMap<>();

  private static String output(Process process) throws IOException {
    return Files.readString(processLogs.get(process));
  }
}
