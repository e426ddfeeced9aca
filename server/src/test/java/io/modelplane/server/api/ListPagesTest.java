package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * List pages are summaries: no item carries its full rendered DAG unless the list asks for {@code
 * include=rendered_dag}; the item's own GET always has it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListPagesTest {
  private TestServer server;
  private ApiClient api;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabases.h2());
    api = server.client();
    Map<String, Object> job = SampleRequests.trainingJobNamed("churn");
    job.put("domain", "lists");
    job.put("trigger_now", false);
    assertThat(api.post("/api/automl/train/jobs", job).status()).isEqualTo(201);
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("name", "nightly");
    deployment.put("model", Map.of("model_name", "churn", "model_version", "3"));
    deployment.put("source", Map.of("schema", "crm", "table", "customers"));
    deployment.put("target", Map.of("schema", "crm", "table", "predictions"));
    deployment.put("entity_columns", List.of("id"));
    deployment.put("domain", "lists");
    deployment.put("owner", "ana");
    assertThat(api.post("/api/models/churn/deployments", deployment).status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void listItemsLeaveTheDagSourceOutUnlessAskedFor() {
    for (String list :
        List.of(
            "/api/automl/train/jobs?domain=lists",
            "/api/deployments?domain=lists",
            "/api/models/churn/deployments?domain=lists")) {
      JsonNode summary = api.get(list).body().get("items").get(0);
      JsonNode full = api.get(list + "&include=rendered_dag").body().get("items").get(0);

      assertThat(summary.has("rendered_dag")).as(list).isFalse();
      assertThat(summary.get("name").asText()).isNotBlank();
      assertThat(full.get("rendered_dag").asText()).as(list).contains("DAG");
    }
    JsonNode job = api.get("/api/automl/train/jobs?domain=lists").body().get("items").get(0);
    assertThat(api.get("/api/automl/train/jobs/" + job.get("job_id").asText()).text("rendered_dag"))
        .contains("DAG");
    assertThat(api.get("/api/models/churn/deployments/nightly").text("rendered_dag"))
        .contains("DAG");
  }

  @Test
  void anUnknownIncludeIsA422() {
    ApiResponse refused = api.get("/api/deployments?include=everything");

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"query\",\"include\"]");
  }
}
