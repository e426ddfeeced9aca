package io.modelplane.server.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The values of the scoring DAG template that the rendering tests share. */
final class ScoringDagValues {
  /** Would end a Python string, a triple-quoted string or a Jinja expression if not escaped. */
  static final String HOSTILE = "x'); import os; os.system('id') #\n\"\"\" {{ y }} ✓";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ScoringDagValues() {}

  /** DAG {@code mp_score_nightly} of {@code deploymentJson}, on {@code schedule} (null: none). */
  static Map<String, Object> nightly(String deploymentJson, String schedule) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("dag_id", "mp_score_nightly");
    values.put("modelplane_url", "http://modelplane.test");
    values.put("deployment_json", deploymentJson);
    values.put("schedule", schedule);
    return values;
  }

  /** Deployment {@code nightly} whose model name and filter are {@link #HOSTILE}, snapshot 42. */
  static String hostileDeploymentJson() throws JsonProcessingException {
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("name", "nightly");
    deployment.put("model_name", HOSTILE);
    deployment.put("source", Map.of("snapshot_id", 42, "filter_sql", HOSTILE));
    return JSON.writeValueAsString(deployment);
  }
}
