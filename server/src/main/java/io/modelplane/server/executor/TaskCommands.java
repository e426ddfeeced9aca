package io.modelplane.server.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelplane.server.config.ExecutorConfig;
import io.modelplane.server.render.RenderedDagValues;
import io.modelplane.server.service.DagRunIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The command a DAG's task runs, built as the templates build it ({@code training_dag.py.peb}'s
 * {@code train}, {@code scoring_dag.py.peb}'s {@code score}, {@code dataeng_dag.py.peb}'s {@code
 * run_sql}): {@code java -jar <dag-helper> wrap … -- java -jar <runner> train|score|sql …}, with
 * the JSON the rendered DAG carries (read back from the DAG stored on the job or deployment, never
 * built a second time).
 */
final class TaskCommands {
  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final ExecutorConfig config;

  TaskCommands(Jdbi jdbi, ObjectMapper json, ExecutorConfig config) {
    this.jdbi = jdbi;
    this.json = json;
    this.config = config;
  }

  /**
   * The argv of a run of {@code dagId}, or empty when no training job, data-engineering job (not
   * deleted) or live deployment has that DAG.
   *
   * @param logicalDate the run's logical date (the tick of a scheduled run, else the trigger)
   */
  Optional<List<String>> of(
      String dagId, String dagRunId, Map<String, Object> conf, Instant logicalDate) {
    Optional<String> training =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("SELECT rendered_dag FROM training_jobs WHERE airflow_dag_id = :d")
                    .bind("d", dagId)
                    .mapTo(String.class)
                    .findOne());
    if (training.isPresent()) {
      return RenderedDagValues.jsonOf(training.get(), "JOB").map(this::train);
    }
    Optional<String> dataeng =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT rendered_dag FROM jobs WHERE dag_id = :d"
                            + " AND rendered_dag IS NOT NULL AND is_deleted = FALSE")
                    .bind("d", dagId)
                    .mapTo(String.class)
                    .findOne());
    if (dataeng.isPresent()) {
      return RenderedDagValues.jsonOf(dataeng.get(), "JOB").map(this::sql);
    }
    Optional<String> scoring =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        "SELECT rendered_dag FROM deployments WHERE dag_id = :d"
                            + " AND status <> 'archived'")
                    .bind("d", dagId)
                    .mapTo(String.class)
                    .findOne());
    return scoring
        .flatMap(dag -> RenderedDagValues.jsonOf(dag, "DEPLOYMENT"))
        .map(deployment -> score(deployment, dagRunId, conf, logicalDate));
  }

  private List<String> train(String jobJson) {
    JsonNode job = read(jobJson);
    List<String> argv = dagHelper();
    argv.addAll(List.of("wrap", "--training-job", job.path("job_id").asText(), "--"));
    argv.addAll(runner("train"));
    argv.addAll(List.of("--job-json", jobJson));
    return argv;
  }

  /** {@code dataeng_dag.py.peb}'s {@code run_sql}. */
  private List<String> sql(String jobJson) {
    JsonNode job = read(jobJson);
    List<String> argv = dagHelper();
    argv.addAll(List.of("wrap", "--job", job.path("job_id").asText(), "--"));
    argv.addAll(runner("sql"));
    argv.addAll(List.of("--job-json", jobJson));
    return argv;
  }

  private List<String> score(
      String deploymentJson, String dagRunId, Map<String, Object> conf, Instant logicalDate) {
    JsonNode deployment = read(deploymentJson);
    String runDeploymentJson = withOverrides(deploymentJson, deployment, conf);
    Object snapshot =
        conf.containsKey("snapshot_id")
            ? conf.get("snapshot_id")
            : deployment.path("source").path("snapshot_id").isNull()
                ? null
                : deployment.path("source").path("snapshot_id").asLong();
    Object tags = conf.get("tags") == null ? Map.of() : conf.get("tags");
    List<String> argv = dagHelper();
    argv.addAll(
        List.of(
            "wrap",
            "--model",
            deployment.path("model_name").asText(),
            "--deployment",
            deployment.path("name").asText(),
            "--airflow-run-id",
            dagRunId,
            "--"));
    argv.addAll(runner("score"));
    argv.addAll(
        List.of(
            "--deployment-json",
            runDeploymentJson,
            "--snapshot-id",
            snapshot == null ? "" : snapshot.toString(),
            "--run-id",
            dagRunId,
            "--run-tags-json",
            write(tags),
            "--settings-json",
            write(conf.get("settings") == null ? Map.of() : conf.get("settings")),
            "--logical-date",
            DagRunIds.isoformat(logicalDate)));
    return argv;
  }

  /**
   * The deployment JSON with a manual run's overrides from its conf, as the template's {@code
   * _deployment_for_run} applies them: a model version and a target table for that run only.
   */
  private String withOverrides(String text, JsonNode deployment, Map<String, Object> conf) {
    Object version = conf.get("model_version");
    Object target = conf.get("target");
    if ((version == null || version.toString().isEmpty()) && !(target instanceof Map)) {
      return text; // as the rendered DAG carries it
    }
    ObjectNode run = deployment.deepCopy();
    if (version != null && !version.toString().isEmpty()) {
      run.put("model_version", version.toString());
    }
    if (target instanceof Map) {
      run.set("target", json.valueToTree(target));
    }
    return write(run);
  }

  private List<String> dagHelper() {
    return new ArrayList<>(List.of(config.java(), "-jar", config.dagHelperJar().toString()));
  }

  private List<String> runner(String command) {
    return List.of(config.java(), "-jar", config.runnerJar().toString(), command);
  }

  private JsonNode read(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the rendered DAG carries unreadable JSON", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
