package io.modelplane.testsupport.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.testsupport.airflow.AirflowTaskRunner.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs DAG files under the stand-in, hand-written in the shape of Modelplane's DAGs (the server
 * module runs its real rendered DAGs the same way: RenderedDagsRunUnderAirflowStandInTest).
 */
class AirflowTaskRunnerTest {
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

  /** The shape of Modelplane's DAGs: the task runs a command, the failure callback another. */
  private static final String COMMAND_DAG =
      """
      import os
      import subprocess
      import pendulum
      from airflow import DAG
      from airflow.operators.python import PythonOperator

      def run(**context):
          java = os.environ.get("MODELPLANE_JAVA", "java")
          env = dict(os.environ)
          env.setdefault("MODELPLANE_URL", "http://modelplane.test")
          subprocess.run([java, "-jar", "helper.jar", "wrap", "--airflow-run-id", context["run_id"]],
                         env=env, check=True)

      def report_failure(context):
          java = os.environ.get("MODELPLANE_JAVA", "java")
          subprocess.run([java, "-jar", "helper.jar", "run-status", "--status", "failed",
                          "--error-message", str(context["exception"])], check=False)

      with DAG(dag_id="commands", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
               catchup=False, is_paused_upon_creation=True, max_active_runs=1) as dag:
          PythonOperator(task_id="run", python_callable=run, on_failure_callback=report_failure)
      """;

  @Test
  void aTaskRunsItsCommandWithTheGivenEnvironmentOnly() throws IOException {
    Path dag = Files.writeString(dir.resolve("commands.py"), COMMAND_DAG);
    RecordingCommand java = RecordingCommand.create(dir, "java");
    TaskResult result =
        airflow.run(
            dag, "run", "manual__7", "{}", Map.of("MODELPLANE_JAVA", java.executable().toString()));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(java.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.argv())
                  .containsExactly("-jar", "helper.jar", "wrap", "--airflow-run-id", "manual__7");
              assertThat(call.env())
                  .containsOnlyKeys("MODELPLANE_JAVA", "MODELPLANE_URL")
                  .containsEntry("MODELPLANE_URL", "http://modelplane.test");
            });
  }

  @Test
  void aFailedCommandEndsInTheFailureCallbacksCommand() throws IOException {
    Path dag = Files.writeString(dir.resolve("commands.py"), COMMAND_DAG);
    RecordingCommand java = RecordingCommand.create(dir, "java", 3, "wrap");
    TaskResult result =
        airflow.run(
            dag, "run", "manual__8", "{}", Map.of("MODELPLANE_JAVA", java.executable().toString()));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(java.calls()).hasSize(2);
    List<String> callback = java.calls().get(1).argv();
    assertThat(callback).containsSequence("run-status", "--status", "failed");
    assertThat(callback.get(callback.size() - 1)).contains("returned non-zero exit status 3");
  }
}
