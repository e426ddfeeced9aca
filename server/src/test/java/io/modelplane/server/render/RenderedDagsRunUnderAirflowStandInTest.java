package io.modelplane.server.render;

import static io.modelplane.server.render.ScoringDagValues.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.testsupport.airflow.AirflowTaskRunner;
import io.modelplane.testsupport.airflow.AirflowTaskRunner.TaskResult;
import io.modelplane.testsupport.airflow.RecordingCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DAG files the renderer writes, executed as an Airflow worker would (under the stand-in of
 * test-support), with a {@code java} that records how dag-helper is called: the values reach the
 * task's command line exactly, hostile ones included, and a failing task reports {@code failed}
 * through its failure callback.
 */
class RenderedDagsRunUnderAirflowStandInTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AirflowTaskRunner airflow;
  private final DagRenderer renderer = new DagRenderer(Optional.empty());

  @TempDir Path dir;

  @BeforeAll
  static void extract() {
    airflow = AirflowTaskRunner.create();
  }

  @AfterAll
  static void cleanUp() {
    airflow.close();
  }

  @Test
  void theScoringTaskRunsTheScorerInsideWrapWithTheDeploymentAndTheRunConf() throws IOException {
    String deploymentJson = ScoringDagValues.hostileDeploymentJson();
    Map<String, Object> values = ScoringDagValues.nightly(deploymentJson, "0 2 * * *");
    Path dag = write("scoring.py", renderer.render(DagRenderer.SCORING_DAG, values));

    RecordingCommand java = RecordingCommand.create(dir, "java");
    TaskResult result = airflow.run(dag, "score", "manual__1", "{\"snapshot_id\": 7}", env(java));

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<List<String>> calls = java.calls().stream().map(RecordingCommand.Call::argv).toList();
    assertThat(calls).hasSize(1);
    List<String> argv = calls.get(0);
    assertThat(argv).containsSequence("wrap", "--model", HOSTILE, "--deployment", "nightly");
    assertThat(argv).containsSequence("--airflow-run-id", "manual__1", "--", "scorer-stand-in");
    assertThat(argv).containsSequence("--snapshot-id", "7");
    JsonNode passed = JSON.readTree(argv.get(argv.indexOf("--deployment-json") + 1));
    assertThat(passed).isEqualTo(JSON.readTree(deploymentJson));
  }

  @Test
  void aManualRunsOverridesFromTheConfReachTheScorerForThatRunOnly() throws IOException {
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("name", "nightly");
    deployment.put("model_name", "churn");
    deployment.put("model_version", "3");
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("schema", "crm");
    source.put("table", "customers");
    source.put("snapshot_id", null);
    deployment.put("source", source);
    deployment.put("target", Map.of("catalog", "iceberg", "schema", "crm", "table", "scores"));
    String deploymentJson = JSON.writeValueAsString(deployment);
    Map<String, Object> values = ScoringDagValues.nightly(deploymentJson, null);
    Path dag = write("scoring-overrides.py", renderer.render(DagRenderer.SCORING_DAG, values));
    RecordingCommand java = RecordingCommand.create(dir, "java");
    String conf =
        JSON.writeValueAsString(
            Map.of(
                "model_version", "7",
                "target", Map.of("catalog", "iceberg", "schema", "sandbox", "table", "try_1"),
                "settings", Map.of("threshold", 0.5, "note", "it's \"quoted\"")));

    TaskResult overridden = airflow.run(dag, "score", "manual__1", conf, env(java));
    TaskResult plain = airflow.run(dag, "score", "scheduled__1", "{}", env(java));

    assertThat(overridden.exitCode()).as(overridden.output()).isZero();
    assertThat(plain.exitCode()).as(plain.output()).isZero();
    List<String> argv = java.calls().get(0).argv();
    JsonNode passed = JSON.readTree(argv.get(argv.indexOf("--deployment-json") + 1));
    assertThat(passed.get("model_version").asText()).isEqualTo("7");
    assertThat(passed.get("target"))
        .isEqualTo(
            JSON.valueToTree(Map.of("catalog", "iceberg", "schema", "sandbox", "table", "try_1")));
    assertThat(passed.get("source")).isEqualTo(JSON.readTree(deploymentJson).get("source"));
    JsonNode settings = JSON.readTree(argv.get(argv.indexOf("--settings-json") + 1));
    assertThat(settings.get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(settings.get("note").asText()).isEqualTo("it's \"quoted\"");
    List<String> scheduled = java.calls().get(1).argv();
    assertThat(JSON.readTree(scheduled.get(scheduled.indexOf("--deployment-json") + 1)))
        .isEqualTo(JSON.readTree(deploymentJson));
    assertThat(scheduled).containsSequence("--settings-json", "{}");
  }

  @Test
  void byDefaultTheScoringTaskRunsTheRunnerJarsScoreWithTheRunsLogicalDate() throws IOException {
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("name", "nightly");
    deployment.put("model_name", "churn");
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("filter_sql", "region = 'EU'");
    source.put("snapshot_id", null);
    deployment.put("source", source);
    Map<String, Object> values =
        ScoringDagValues.nightly(JSON.writeValueAsString(deployment), "0 3 * * *");
    Path dag = write("scoring-default.py", renderer.render(DagRenderer.SCORING_DAG, values));
    RecordingCommand recording = RecordingCommand.create(dir, "java-default");
    Map<String, String> env = new LinkedHashMap<>(env(recording));
    env.remove("MODELPLANE_SCORER_COMMAND");
    env.put("MODELPLANE_RUNNER_JAR", "/opt/runner.jar");

    TaskResult result =
        airflow.run(
            dag,
            "score",
            List.of(
                "--run-id",
                "scheduled__2026-03-01T03:00:00+00:00",
                "--conf",
                "{}",
                "--logical-date",
                "2026-03-01T03:00:00+00:00"),
            env);

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> argv = recording.calls().get(0).argv();
    String java = env.get("MODELPLANE_JAVA");
    assertThat(argv).containsSequence("--", java, "-jar", "/opt/runner.jar", "score");
    assertThat(argv).containsSequence("--snapshot-id", "");
    assertThat(argv).containsSequence("--logical-date", "2026-03-01T03:00:00+00:00");
    assertThat(argv).containsSequence("--run-id", "scheduled__2026-03-01T03:00:00+00:00");
  }

  @Test
  void aFailingTrainerEndsInTheFailureCallbackReportingTheJobFailed() throws IOException {
    String jobJson = JSON.writeValueAsString(Map.of("job_id", "j-1", "name", HOSTILE));
    Path dag =
        write(
            "training.py",
            renderer.render(
                DagRenderer.TRAINING_DAG,
                Map.of(
                    "dag_id", "mp_train_j1",
                    "modelplane_url", "http://modelplane.test",
                    "job_json", jobJson)));

    RecordingCommand java = RecordingCommand.create(dir, "java", 3, "wrap");
    TaskResult result = airflow.run(dag, "train", "manual__2", "{}", env(java));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    List<List<String>> calls = java.calls().stream().map(RecordingCommand.Call::argv).toList();
    assertThat(calls).hasSize(2);
    List<String> wrap = calls.get(0);
    assertThat(wrap).containsSequence("wrap", "--training-job", "j-1", "--", "trainer-stand-in");
    assertThat(JSON.readTree(wrap.get(wrap.indexOf("--job-json") + 1)))
        .isEqualTo(JSON.readTree(jobJson));
    assertThat(calls.get(1))
        .containsSequence("training-status", "--job-id", "j-1", "--status", "failed");
  }

  private Path write(String name, String source) throws IOException {
    return Files.writeString(dir.resolve(name), source);
  }

  private static Map<String, String> env(RecordingCommand java) {
    return Map.of(
        "MODELPLANE_JAVA", java.executable().toString(),
        "MODELPLANE_DAG_HELPER_JAR", "/opt/helper.jar",
        "MODELPLANE_SCORER_COMMAND", "scorer-stand-in",
        "MODELPLANE_TRAINER_COMMAND", "trainer-stand-in");
  }
}
