package io.modelplane.server.render;

import static io.modelplane.server.render.ScoringDagValues.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelplane.server.config.DagExecutorConfig;
import io.modelplane.server.support.Python;
import io.modelplane.testsupport.airflow.AirflowTaskRunner;
import io.modelplane.testsupport.airflow.AirflowTaskRunner.TaskResult;
import io.modelplane.testsupport.airflow.RecordingCommand;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MODELPLANE_DAG_EXECUTOR=kubernetes}: the rendered DAGs parse, and run under the Airflow
 * stand-in their task is a KubernetesPodOperator of the task image in the configured namespace,
 * whose container runs dag-helper's {@code wrap} with the values of the subprocess form (hostile
 * ones included), gets the PSK from the Kubernetes secret, and a failure outside the pod is
 * reported over HTTP by the worker (which has no Java then).
 */
class KubernetesExecutorDagsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DagExecutorConfig KUBERNETES =
      new DagExecutorConfig(
          DagExecutorConfig.Kind.KUBERNETES, "registry.example.com/modelplane-task:1.2", "ml-jobs");
  private static AirflowTaskRunner airflow;
  private final DagRenderer renderer = new DagRenderer(Optional.empty(), KUBERNETES);

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
  void theScoringPodRunsWrapWithTheDeploymentAndTheRunConf() throws IOException {
    String deploymentJson = ScoringDagValues.hostileDeploymentJson();
    Map<String, Object> values = ScoringDagValues.nightly(deploymentJson, "0 2 * * *");
    String source = renderer.render(DagRenderer.SCORING_DAG, values);
    Python.assertParses(source);
    assertThat(source).contains("KubernetesPodOperator").doesNotContain("PythonOperator(task_id");
    Path dag = Files.writeString(dir.resolve("scoring.py"), source);

    RecordingCommand java = RecordingCommand.create(dir, "java");
    TaskResult result = airflow.run(dag, "score", "manual__1", "{\"snapshot_id\": 7}", env(java));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout())
        .contains(
            "pod image=registry.example.com/modelplane-task:1.2 namespace=ml-jobs"
                + " name=modelplane-score");
    assertThat(java.calls()).hasSize(1);
    RecordingCommand.Call call = java.calls().get(0);
    List<String> argv = call.argv();
    assertThat(argv).startsWith("-jar", "/opt/modelplane/modelplane-dag-helper.jar", "wrap");
    assertThat(argv).containsSequence("wrap", "--model", HOSTILE, "--deployment", "nightly");
    assertThat(argv).containsSequence("--airflow-run-id", "manual__1", "--", "scorer-stand-in");
    assertThat(argv).containsSequence("--snapshot-id", "7");
    assertThat(JSON.readTree(argv.get(argv.indexOf("--deployment-json") + 1)))
        .isEqualTo(JSON.readTree(deploymentJson));
    assertThat(call.env())
        .containsEntry("MODELPLANE_PSK", "psk-from-the-secret")
        .containsEntry("MODELPLANE_URL", "http://modelplane.test");
  }

  @Test
  void byDefaultThePodsRunTheRunnerJarOfTheTaskImage() throws IOException {
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("name", "nightly");
    deployment.put("model_name", "churn");
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("filter_sql", "region = 'EU'");
    source.put("snapshot_id", null);
    deployment.put("source", source);
    Map<String, Object> values =
        ScoringDagValues.nightly(JSON.writeValueAsString(deployment), null);
    Path scoring =
        Files.writeString(
            dir.resolve("scoring.py"), renderer.render(DagRenderer.SCORING_DAG, values));
    Path training =
        Files.writeString(
            dir.resolve("training.py"),
            renderer.render(
                DagRenderer.TRAINING_DAG,
                Map.of(
                    "dag_id", "mp_train_j1",
                    "modelplane_url", "http://modelplane.test",
                    "job_json", "{\"job_id\": \"j-1\"}")));
    RecordingCommand java = RecordingCommand.create(dir, "java");
    Map<String, String> env = new LinkedHashMap<>(env(java));
    env.remove("MODELPLANE_SCORER_COMMAND");
    env.remove("MODELPLANE_TRAINER_COMMAND");

    TaskResult scored = airflow.run(scoring, "score", "manual__3", "{}", env);
    TaskResult trained = airflow.run(training, "train", "manual__4", "{}", env);

    assertThat(scored.exitCode()).as(scored.output()).isZero();
    assertThat(trained.exitCode()).as(trained.output()).isZero();
    List<String> score = java.calls().get(0).argv();
    assertThat(score)
        .containsSequence("--", "java", "-jar", "/opt/modelplane/modelplane-runner.jar", "score");
    assertThat(score).contains("--logical-date");
    assertThat(java.calls().get(1).argv())
        .containsSequence("--", "java", "-jar", "/opt/modelplane/modelplane-runner.jar", "train");
  }

  @Test
  void aFailingTrainingPodIsReportedFailedByTheWorkerOverHttp() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer modelplane = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    modelplane.createContext(
        "/",
        exchange -> {
          received.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getRawPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization-PSK")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    modelplane.start();
    try {
      String url = "http://127.0.0.1:" + modelplane.getAddress().getPort();
      String jobJson = JSON.writeValueAsString(Map.of("job_id", "j-1", "name", HOSTILE));
      String source =
          renderer.render(
              DagRenderer.TRAINING_DAG,
              Map.of("dag_id", "mp_train_j1", "modelplane_url", url, "job_json", jobJson));
      Python.assertParses(source);
      Path dag = Files.writeString(dir.resolve("training.py"), source);
      RecordingCommand java = RecordingCommand.create(dir, "java", 3, "wrap");
      Map<String, String> env = new LinkedHashMap<>(env(java));
      env.put("MODELPLANE_PSK", "worker-psk-0123456789");

      TaskResult result = airflow.run(dag, "train", "manual__2", "{}", env);

      assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
      assertThat(result.stdout())
          .contains("namespace=ml-jobs name=modelplane-train")
          .contains("image=registry.example.com/modelplane-task:1.2");
      List<String> wrap = java.calls().get(0).argv();
      assertThat(wrap).containsSequence("wrap", "--training-job", "j-1", "--", "trainer-stand-in");
      assertThat(JSON.readTree(wrap.get(wrap.indexOf("--job-json") + 1)))
          .isEqualTo(JSON.readTree(jobJson));
      assertThat(java.calls()).as("no Java on the worker: only the pod's").hasSize(1);
      assertThat(received).hasSize(1);
      assertThat(received.get(0))
          .startsWith("PUT /api/automl/train/jobs/j-1/status worker-psk-0123456789 ");
      JsonNode body = JSON.readTree(received.get(0).split(" ", 4)[3]);
      assertThat(body.path("status").asText()).isEqualTo("failed");
      assertThat(body.path("error_message").asText()).contains("exit code 3");
    } finally {
      modelplane.stop(0);
    }
  }

  @Test
  void theSubprocessFormIsTheDefaultAndHasNoPod() {
    String source =
        new DagRenderer(Optional.empty())
            .render(
                DagRenderer.TRAINING_DAG,
                Map.of(
                    "dag_id", "mp_train_j1",
                    "modelplane_url", "http://modelplane.test",
                    "job_json", "{\"job_id\": \"j-1\"}"));
    Python.assertParses(source);
    assertThat(source)
        .doesNotContain("KubernetesPodOperator")
        .doesNotContain("TASK_IMAGE")
        .contains("PythonOperator(task_id=\"train\"");
  }

  private static Map<String, String> env(RecordingCommand java) {
    return Map.of(
        "PATH", java.executable().getParent() + ":" + System.getenv("PATH"),
        "AIRFLOW_STANDIN_SECRET__MODELPLANE_TASK__MODELPLANE_PSK", "psk-from-the-secret",
        "MODELPLANE_SCORER_COMMAND", "scorer-stand-in",
        "MODELPLANE_TRAINER_COMMAND", "trainer-stand-in");
  }
}
