package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.DeploymentStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code modelplane} jar driven as a person drives it, against the real server jar (on a
 * PostgreSQL database of its own, WireMock as Airflow), through the contract proxy: files in,
 * tables and JSON out, exit codes, and {@code wait} following a job that DAG writebacks move. The
 * commands whose output is checked run inside the test JVM from the built jar ({@link
 * CliJar#runInJvm}); a real {@code java -jar} per run is kept for the exit codes of a process
 * (usage, unreachable server, a failed job's wait), {@code wait} followed line by line, PSKs, and
 * the README's examples.
 */
class CliJarIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ExternalSystems externals;
  private static ServerUnderTest server;
  private static ModelplaneClient client;
  private static CliJar cli;

  @BeforeAll
  static void startServer() {
    externals = new ExternalSystems();
    server = ServerUnderTest.onPostgres("cli", externals.airflowEnv());
    client = server.client();
    cli = new CliJar(server.baseUrl(), server.psk());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
    if (externals != null) {
      externals.close();
    }
  }

  @AfterEach
  void contractKept() {
    server.assertContractKept();
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Path file(String name, String content) throws Exception {
    Path dir = BuiltJars.workDir().resolve("it-cli-files");
    Files.createDirectories(dir);
    Path file = dir.resolve(suffix() + "-" + name);
    Files.writeString(file, content);
    return file;
  }

  private static CliJar.Result ok(CliJar.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout() + result.stderr()).doesNotContain(server.psk());
    return result;
  }

  private static UUID createJob(String name) throws Exception {
    Path yaml =
        file(
            "job.yaml",
            """
            name: %s
            domain: cli-it
            owner: ana
            source_table: crm.customers
            problem_type: binary_classification
            label_column: churned
            trigger_now: false
            """
                .formatted(name));
    JsonNode job =
        JSON.readTree(
            ok(cli.runInJvm("jobs", "create", "-f", yaml.toString(), "-o", "json")).stdout());
    assertThat(job.path("status").asText()).isEqualTo("ready");
    return UUID.fromString(job.path("job_id").asText());
  }

  @Test
  void jobsCreateFromYamlThenListAsTableAndJsonThenGetThenCancel() throws Exception {
    String name = "churn-" + suffix();
    UUID jobId = createJob(name);

    CliJar.Result table = ok(cli.runInJvm("jobs", "list", "--domain", "cli-it"));
    CliJar.Result json = ok(cli.runInJvm("jobs", "list", "--domain", "cli-it", "-o", "json"));
    CliJar.Result get = ok(cli.runInJvm("jobs", "get", jobId.toString()));
    CliJar.Result cancel = ok(cli.runInJvm("jobs", "cancel", jobId.toString(), "-o", "json"));
    CliJar.Result again = cli.runInJvm("jobs", "cancel", jobId.toString());

    assertThat(table.stdout().lines().findFirst().orElseThrow())
        .startsWith("JOB_ID")
        .contains("STATUS", "PROBLEM_TYPE");
    assertThat(table.stdout())
        .containsPattern(jobId + " +" + name + " +ready +binary_classification");
    JsonNode listed = JSON.readTree(json.stdout());
    assertThat(listed.isArray()).isTrue();
    assertThat(listed.findValuesAsText("job_id")).contains(jobId.toString());
    assertThat(get.stdout()).containsPattern("(?m)^job_id: +" + jobId + "$");
    assertThat(get.stdout()).containsPattern("(?m)^status: +ready$");
    assertThat(JSON.readTree(cancel.stdout()).path("status").asText()).isEqualTo("failed");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
    assertThat(again.stderr()).startsWith("modelplane: HTTP 409: ");
  }

  @Test
  void waitPrintsEachChangeAsWritebacksMoveTheJobAndExitsZeroWhenComplete() throws Exception {
    UUID jobId = createJob("wait-" + suffix());
    CliJar.Running wait =
        cli.startInBackground("jobs", "wait", jobId.toString(), "--poll-interval", "200ms");
    // The first line is the state the wait started from; only then do the writebacks come.
    assertThat(wait.nextLine()).matches("\\[ *[0-9.]+s\\] training job " + jobId + " is ready");

    client
        .trainingJobs()
        .updateStatus(
            jobId, new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.RUNNING));
    client
        .trainingJobs()
        .updateStatus(
            jobId,
            new AutoMLTrainingStatusUpdate()
                .status(AutoMLTrainingJobStatus.COMPLETE)
                .mlflowRunId("run-7"));
    CliJar.Result result = wait.await();

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout())
        .containsPattern("\\] event: ready → running")
        .containsPattern("\\] event: running → complete")
        .containsPattern("\\] training job " + jobId + " is complete\n$");
  }

  @Test
  void waitOnAFailedJobExitsOne() throws Exception {
    UUID jobId = createJob("wait-failed-" + suffix());
    ok(cli.runInJvm("jobs", "cancel", jobId.toString()));

    CliJar.Result result = cli.run("jobs", "wait", jobId.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stdout()).contains("is failed");
  }

  @Test
  void deploymentsCreateListStopStartTrigger() throws Exception {
    String name = "nightly-" + suffix();
    Path yaml =
        file(
            "deployment.yaml",
            """
            name: %s
            model: {model_name: churn, model_version: "3"}
            source: {schema: crm, table: customers, filter_sql: "region = 'EU'"}
            target: {schema: crm, table: churn_predictions}
            entity_columns: [customer_id]
            domain: crm
            owner: ana
            schedule: "0 3 * * *"
            rerun_behavior: overwrite_partition
            """
                .formatted(name));

    ok(cli.runInJvm("deployments", "create", "-f", yaml.toString()));
    CliJar.Result settled =
        ok(cli.runInJvm("deployments", "wait", "churn", name, "--poll-interval", "200ms"));
    CliJar.Result table = ok(cli.runInJvm("deployments", "list", "churn", "--limit", "0"));
    CliJar.Result across = ok(cli.runInJvm("deployments", "list", "-o", "json", "--limit", "0"));
    CliJar.Result stop = ok(cli.runInJvm("deployments", "stop", "churn", name, "-o", "json"));
    CliJar.Result start = ok(cli.runInJvm("deployments", "start", "churn", name, "-o", "json"));
    CliJar.Result trigger =
        ok(
            cli.runInJvm(
                "deployments", "trigger", "churn", name, "--tag", "reason=cli-it", "-o", "json"));
    JsonNode run = JSON.readTree(trigger.stdout());
    CliJar.Result runs = ok(cli.runInJvm("runs", "list", "churn", name));

    assertThat(settled.stdout()).contains("deployment churn/" + name + " is active");
    assertThat(table.stdout()).containsPattern("churn +" + name + " +active +3 +0 3 \\* \\* \\*");
    assertThat(JSON.readTree(across.stdout()).findValuesAsText("name")).contains(name);
    assertThat(JSON.readTree(stop.stdout()).path("status").asText()).isEqualTo("stopped");
    assertThat(JSON.readTree(start.stdout()).path("status").asText()).isEqualTo("active");
    assertThat(run.path("status").asText()).isEqualTo("queued");
    assertThat(run.path("tags").path("reason").asText()).isEqualTo("cli-it");
    assertThat(runs.stdout()).contains(run.path("run_id").asText());
    assertThat(client.deployments().get("churn", name).getStatus())
        .isEqualTo(DeploymentStatus.ACTIVE);
  }

  @Test
  void psksCreatePrintsTheSecretOnceAndListShowsTheKeyWithoutIt() throws Exception {
    String name = "laptop-" + suffix();

    CliJar.Result created =
        ok(
            cli.run(
                "psks",
                "create",
                "--name",
                name,
                "--owner",
                "bo",
                "--role",
                "data-science",
                "--validity-days",
                "30"));
    String secret = created.stdout().strip();
    CliJar.Result list = ok(cli.runInJvm("psks", "list"));
    CliJar.Result asBo =
        cli.run(java.util.Map.of("MODELPLANE_PSK", secret), "jobs", "list", "--limit", "1");

    assertThat(secret).isNotBlank().doesNotContain(" ");
    assertThat(created.stderr()).contains("created PSK", "not shown again");
    assertThat(list.stdout()).containsPattern(name + " +bo +data-science");
    assertThat(list.stdout()).doesNotContain(secret);
    assertThat(asBo.exitCode()).as(asBo.toString()).isZero();
  }

  @Test
  void usageErrorsExitTwoAndAnUnreachableServerExitsFour() throws Exception {
    CliJar.Result badId = cli.run("jobs", "get", "not-a-uuid");
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CliJar.Result unreachable =
        cli.run(java.util.Map.of("MODELPLANE_URL", "http://127.0.0.1:" + port), "jobs", "list");

    assertThat(badId.exitCode()).as(badId.toString()).isEqualTo(2);
    assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(4);
    assertThat(unreachable.stderr())
        .contains("could not reach the Modelplane server at http://127.0.0.1:" + port);
  }

  /** The sh blocks of README.md marked {@code <!-- run-as-is: CliJarIT -->}. */
  private static java.util.List<String> runnableReadmeBlocks() throws Exception {
    Path readme = Path.of(System.getProperty("modelplane.repo.dir", "..")).resolve("README.md");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?ms)^<!-- run-as-is: CliJarIT -->\\s*^```sh\\n(.*?)^```$")
            .matcher(Files.readString(readme));
    java.util.List<String> blocks = new java.util.ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /**
   * Runs a README block with bash as a reader pastes it after the tour ({@code MP}, {@code PSK}
   * set), in a directory laid out like the repository's root (the built jars at their paths).
   */
  private static CliJar.Result runReadmeBlock(String block) throws Exception {
    Path dir = Files.createTempDirectory(BuiltJars.workDir(), "it-readme-");
    Files.createDirectories(dir.resolve("cli/target"));
    Files.createDirectories(dir.resolve("dag-helper/target"));
    Files.copy(BuiltJars.cli(), dir.resolve("cli/target/modelplane-cli.jar"));
    Files.copy(BuiltJars.dagHelper(), dir.resolve("dag-helper/target/modelplane-dag-helper.jar"));
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", block).directory(dir.toFile());
    java.util.Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("MODELPLANE_") || key.startsWith("AIRFLOW_CTX_"));
    env.put("MP", server.baseUrl());
    env.put("PSK", server.psk());
    env.put("HOME", dir.toString());
    env.put("PATH", ChildJvm.launcher().getParent() + ":" + env.get("PATH"));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    process.getOutputStream().close();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("the README block did not finish");
    }
    CliJar.Result result =
        new CliJar.Result(process.exitValue(), Files.readString(out), Files.readString(err));
    System.out.println("[modelplane-it] README block: " + result);
    return result;
  }

  @Test
  void theReadmesCliAndDagHelperExamplesWorkAsPasted() throws Exception {
    java.util.List<String> blocks = runnableReadmeBlocks();
    assertThat(blocks).hasSize(2);

    CliJar.Result cliBlock = runReadmeBlock(blocks.get(0));
    CliJar.Result dagHelperBlock = runReadmeBlock(blocks.get(1));

    assertThat(cliBlock.exitCode()).as(cliBlock.toString()).isZero();
    assertThat(cliBlock.stdout())
        .contains("wait exited 1")
        .contains("deployment churn/weekly-churn is active")
        .doesNotContain("trigger exited")
        .contains("bo laptop");
    assertThat(cliBlock.stdout()).containsPattern("(?m)^status: +archived$");

    assertThat(dagHelperBlock.exitCode()).as(dagHelperBlock.toString()).isZero();
    assertThat(dagHelperBlock.stderr()).contains(": complete").contains(": succeeded");
    var run =
        client.deploymentRuns().listAll("churn", "hourly-churn", null).stream()
            .filter(r -> "manual__2026-11-24T10:00:00+00:00".equals(r.getAirflowRunId()))
            .findFirst()
            .orElseThrow();
    assertThat(run.getRowsScored()).isEqualTo(1200L);
    assertThat(run.getStatus().getValue()).isEqualTo("succeeded");
  }
}
