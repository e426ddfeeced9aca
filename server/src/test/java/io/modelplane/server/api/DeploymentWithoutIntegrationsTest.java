package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Without MLflow and Airflow: pinned versions are taken as given, aliases and runs are refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentWithoutIntegrationsTest {
  private TestServer server;
  private ApiClient api;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabases.h2());
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void aPinnedVersionIsAcceptedAndTheStoredDagMakesTheDeploymentActive() {
    ApiResponse created = api.post("/api/models/churn/deployments", request("pinned", "3", null));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("status")).isEqualTo("active");
    assertThat(created.text("resolved_model_version")).isEqualTo("3");
    assertThat(created.text("dag_s3_uri")).startsWith("file:");
  }

  @Test
  void anAliasNeedsMlflow() {
    ApiResponse refused =
        api.post("/api/models/churn/deployments", request("alias", null, "champion"));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"body\",\"model\",\"model_alias\"]");
    assertThat(refused.body().get("detail").get(0).get("msg").asText())
        .contains("MODELPLANE_MLFLOW_URL");
  }

  @Test
  void aManualRunNeedsAnOrchestratorButCallbacksAreRecorded() {
    api.post("/api/models/churn/deployments", request("manual", "3", null));

    ApiResponse trigger = api.post("/api/models/churn/deployments/manual/trigger", null);
    ApiResponse callback =
        api.post(
            "/api/models/churn/deployments/manual/runs",
            Map.of("airflow_run_id", "manual__x", "status", "failed", "error_message", "boom"));

    assertThat(trigger.status()).isEqualTo(503);
    assertThat(trigger.text("error")).contains("No orchestrator is configured");
    assertThat(callback.status()).isEqualTo(200);
    assertThat(callback.text("status")).isEqualTo("failed");
    assertThat(callback.text("error_message")).isEqualTo("boom");
    assertThat(callback.text("started_at")).isNull();
    assertThat(callback.text("finished_at")).isNotNull();
  }

  private static Map<String, Object> request(String name, String version, String alias) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("model_name", "churn");
    model.put("model_version", version);
    model.put("model_alias", alias);
    Map<String, Object> request = SampleRequests.deployment("churn", name);
    request.put("model", model);
    return request;
  }
}
