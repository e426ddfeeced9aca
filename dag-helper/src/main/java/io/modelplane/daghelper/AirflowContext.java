package io.modelplane.daghelper;

import java.util.Map;
import java.util.StringJoiner;

/**
 * The Airflow task context that Airflow exports to a task's environment ({@code
 * AIRFLOW_CTX_DAG_ID}, {@code AIRFLOW_CTX_DAG_RUN_ID}, {@code AIRFLOW_CTX_TASK_ID}, {@code
 * AIRFLOW_CTX_TRY_NUMBER}); each value is {@code null} when the variable is not set.
 *
 * @param dagId the DAG's id
 * @param dagRunId the DAG run's id, used as a deployment run's {@code airflow_run_id}
 * @param taskId the task's id
 * @param tryNumber the task try, starting at 1
 */
public record AirflowContext(String dagId, String dagRunId, String taskId, String tryNumber) {

  /**
   * Reads the context from the process environment.
   *
   * @return the context
   */
  public static AirflowContext fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Reads the context from the given environment.
   *
   * @param env environment variables
   * @return the context
   */
  public static AirflowContext fromEnvironment(Map<String, String> env) {
    return new AirflowContext(
        value(env, "AIRFLOW_CTX_DAG_ID"),
        value(env, "AIRFLOW_CTX_DAG_RUN_ID"),
        value(env, "AIRFLOW_CTX_TASK_ID"),
        value(env, "AIRFLOW_CTX_TRY_NUMBER"));
  }

  /**
   * Describes the context for a log line, e.g. {@code dag_id=train run_id=manual__1 try=2}.
   *
   * @return the set values, or an empty string outside Airflow
   */
  public String describe() {
    StringJoiner s = new StringJoiner(" ");
    if (dagId != null) {
      s.add("dag_id=" + dagId);
    }
    if (dagRunId != null) {
      s.add("run_id=" + dagRunId);
    }
    if (taskId != null) {
      s.add("task_id=" + taskId);
    }
    if (tryNumber != null) {
      s.add("try=" + tryNumber);
    }
    return s.toString();
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
