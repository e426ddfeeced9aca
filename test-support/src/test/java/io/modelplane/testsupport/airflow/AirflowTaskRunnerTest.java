package io.modelplane.testsupport.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.testsupport.airflow.AirflowTaskRunner.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs DAG files under the stand-in: a small hand-written one, and the server's two DAG templates
 * rendered here by plain substitution, with a fake {@code java} that records how dag-helper was
 * called.
 */
class AirflowTaskRunnerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TEMPLATES =
      Path.of("..", "server", "src", "main", "resources", "templates");
  private static AirflowTaskRunner airflow;

  @TempDir Path dir;

  @BeforeAll
  static void extract() {
    airflow = AirflowTaskRunner.create();
  }

  @AfterAll
  static void cleanUp() {
    airflow.close();
  }

  private static final String SMALL_DAG =
      """
      import json
      import pendulum
      from airflow import DAG
      try:
          from airflow.providers.standard.operators.python import PythonOperator
      except ImportError:
          from airflow.operators.python import PythonOperator

      def work(**context):
          print("conf=" + json.dumps(context["dag_run"].conf, sort_keys=True))
          print("run_id=" + context["run_id"] + " dag_run.run_id=" + context["dag_run"].run_id)
          print("task=" + context["task"].task_id + " dag=" + context["dag"].dag_id)
          print("ti=" + context["ti"].task_id + " logical_date=" + str(context["logical_date"].tzinfo))
          if context["dag_run"].conf.get("fail"):
              raise RuntimeError("the work failed")

      def report_failure(context):
          print("failure callback: " + str(context["exception"]) + " run " + context["run_id"])

      with DAG(dag_id="small", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
               catchup=False, tags=["t"]) as dag:
          PythonOperator(task_id="work", python_callable=work, on_failure_callback=report_failure)
      """;

  @Test
  void aTaskCallableGetsTheRunContext() throws IOException {
    Path dag = Files.writeString(dir.resolve("small.py"), SMALL_DAG);
    TaskResult result =
        airflow.run(dag, "work", "manual__2024-05-01", "{\"b\": 2, \"a\": 1}", Map.of());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout())
        .contains("conf={\"a\": 1, \"b\": 2}")
        .contains("run_id=manual__2024-05-01 dag_run.run_id=manual__2024-05-01")
        .contains("task=work dag=small")
        .contains("ti=work logical_date=UTC")
        .doesNotContain("failure callback");
  }

  @Test
  void aFailingTaskCallsItsFailureCallbackAndExitsNonZero() throws IOException {
    Path dag = Files.writeString(dir.resolve("small.py"), SMALL_DAG);
    TaskResult result = airflow.run(dag, "work", "r1", "{\"fail\": true}", Map.of());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).contains("failure callback: the work failed run r1");
    assertThat(result.stderr()).contains("RuntimeError: the work failed");
  }

  @Test
  void theAirflow2ImportPathWorksToo() throws IOException {
    Path dag = Files.writeString(dir.resolve("small.py"), SMALL_DAG);
    TaskResult result = airflow.run(dag, "work", "r2", "{}", Map.of("AIRFLOW_STANDIN_MAJOR", "2"));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void anUnknownTaskOrABrokenDagFileIsALoadFailure() throws IOException {
    Path dag = Files.writeString(dir.resolve("small.py"), SMALL_DAG);
    assertThat(airflow.run(dag, "nope", "r", "{}", Map.of()).exitCode()).isEqualTo(2);
    Path broken =
        Files.writeString(
            dir.resolve("broken.py"),
            "from airflow import DAG\nDAG(dag_id='x', schedule=None, no_such_argument=1)\n");
    TaskResult result = airflow.run(broken, "t", "r", "{}", Map.of());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("unexpected keyword argument 'no_such_argument'");
  }

  @Test
  void theRenderedScoringDagRunsTheScorerInsideDagHelperWrap() throws IOException {
    String deploymentJson =
        "{\"name\": \"nightly\", \"model_name\": \"churn\", \"source\": {\"snapshot_id\": 42}}";
    Path dag =
        render(
            "scoring_dag.py.peb",
            Map.of(
                "dag_id", "mp_score_churn_nightly",
                "modelplane_url", "http://modelplane.test",
                "deployment_json", deploymentJson,
                "schedule", "0 2 * * *"));
    Path log = dir.resolve("java.log");
    TaskResult result =
        airflow.run(
            dag,
            "score",
            "scheduled__2024-05-01T02:00:00+00:00",
            "{\"tags\": {\"k\": \"v\"}}",
            fakeJava(log, 0));
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<JsonNode> calls = calls(log);
    assertThat(calls).hasSize(1);
    List<String> argv = strings(calls.get(0).get("argv"));
    assertThat(argv.subList(0, 12))
        .containsExactly(
            "-jar",
            "/opt/helper.jar",
            "wrap",
            "--model",
            "churn",
            "--deployment",
            "nightly",
            "--airflow-run-id",
            "scheduled__2024-05-01T02:00:00+00:00",
            "--",
            "my-scorer",
            "--x");
    assertThat(argv).contains("--snapshot-id", "42", "--run-tags-json", "{\"k\": \"v\"}");
    assertThat(calls.get(0).get("MODELPLANE_URL").asText()).isEqualTo("http://modelplane.test");
  }

  @Test
  void aFailedTrainerRunEndsInTheFailureCallbackReportingFailed() throws IOException {
    Path dag =
        render(
            "training_dag.py.peb",
            Map.of(
                "dag_id", "mp_train_j1",
                "modelplane_url", "http://modelplane.test",
                "job_json", "{\"job_id\": \"j1\", \"name\": \"churn\"}"));
    Path log = dir.resolve("java.log");
    TaskResult result = airflow.run(dag, "train", "manual__1", "{}", fakeJava(log, 3));
    assertThat(result.exitCode()).isEqualTo(1);
    List<JsonNode> calls = calls(log);
    assertThat(calls).hasSize(2);
    assertThat(strings(calls.get(0).get("argv")))
        .containsSequence("wrap", "--training-job", "j1", "--", "my-scorer", "--x", "--job-json");
    List<String> callback = strings(calls.get(1).get("argv"));
    assertThat(callback)
        .containsSequence("training-status", "--job-id", "j1", "--status", "failed");
    assertThat(callback.get(callback.size() - 1)).contains("returned non-zero exit status 3");
  }

  /** Renders a server template the way DagRenderer does: every value a Python string literal. */
  private Path render(String template, Map<String, String> values) throws IOException {
    String text = Files.readString(TEMPLATES.resolve(template));
    text =
        text.replaceAll(
            "\\{% if schedule is null %}None\\{% else %}\\{\\{ schedule }}\\{% endif %}",
            Matcher.quoteReplacement(
                values.containsKey("schedule") ? pythonString(values.get("schedule")) : "None"));
    Matcher matcher = Pattern.compile("\\{\\{ (\\w+) }}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      assertThat(value).as("value for " + matcher.group(1)).isNotNull();
      matcher.appendReplacement(out, Matcher.quoteReplacement(pythonString(value)));
    }
    matcher.appendTail(out);
    assertThat(out.toString()).doesNotContain("{{").doesNotContain("{%");
    return Files.writeString(dir.resolve(template.replace(".peb", "")), out.toString());
  }

  private static String pythonString(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A {@code java} that appends its argv and MODELPLANE_URL to a log and exits with a code. */
  private Map<String, String> fakeJava(Path log, int exitCode) throws IOException {
    Path java = dir.resolve("fake-java");
    Files.writeString(
        java,
        "#!/usr/bin/env python3\n"
            + "import json, os, sys\n"
            + "with open(os.environ['FAKE_JAVA_LOG'], 'a') as f:\n"
            + "    f.write(json.dumps({'argv': sys.argv[1:],"
            + " 'MODELPLANE_URL': os.environ.get('MODELPLANE_URL')}) + '\\n')\n"
            + "sys.exit(int(os.environ['FAKE_JAVA_EXIT']) if 'wrap' in sys.argv else 0)\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Map.of(
        "MODELPLANE_JAVA",
        java.toString(),
        "MODELPLANE_DAG_HELPER_JAR",
        "/opt/helper.jar",
        "MODELPLANE_SCORER_COMMAND",
        "my-scorer --x",
        "MODELPLANE_TRAINER_COMMAND",
        "my-scorer --x",
        "FAKE_JAVA_LOG",
        log.toString(),
        "FAKE_JAVA_EXIT",
        Integer.toString(exitCode));
  }

  private static List<JsonNode> calls(Path log) throws IOException {
    List<JsonNode> calls = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      calls.add(JSON.readTree(line));
    }
    return calls;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
