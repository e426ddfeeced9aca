package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A deployment create retried with its {@code Idempotency-Key} returns the original; an archived
 * deployment stays readable by id with its events; {@code GET /api/psks} is paginated and takes
 * {@code include_deleted}. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeploymentKeysAndPsksApiContract {
  private TestServer server;
  private ApiClient api;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void start() {
    server = TestServer.start(databaseConfig());
    api = server.client();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void aCreateRetriedWithItsIdempotencyKeyReturnsTheOriginalNotAConflict() {
    String model = "idem-" + UUID.randomUUID().toString().substring(0, 8);
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = request(model, "nightly");

    ApiResponse first = create(model, body, key);
    ApiResponse retried = create(model, body, key);

    assertThat(first.status()).isEqualTo(201);
    assertThat(retried.status()).isEqualTo(201);
    assertThat(retried.text("deployment_id")).isEqualTo(first.text("deployment_id"));
    assertThat(create(model, body, null).status()).isEqualTo(409);
    Map<String, Object> other = request(model, "nightly");
    other.put("owner", "bob");
    ApiResponse reused = create(model, other, key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.body().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"header\",\"Idempotency-Key\"]");
  }

  @Test
  void anArchivedDeploymentStaysReadableByIdWithItsEvents() {
    String model = "archived-" + UUID.randomUUID().toString().substring(0, 8);
    String key = UUID.randomUUID().toString();
    String id = create(model, request(model, "old"), key).text("deployment_id");

    assertThat(api.delete(deployments(model) + "/old").status()).isIn(200, 204);

    assertThat(api.get(deployments(model) + "/old").status()).isEqualTo(404);
    ApiResponse byId = api.get("/api/deployments/" + id);
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.text("status")).isEqualTo("archived");
    assertThat(byId.text("name")).isEqualTo("old");
    ApiResponse events = api.get("/api/deployments/" + id + "/events");
    assertThat(events.status()).isEqualTo(200);
    List<String> toStatuses = new ArrayList<>();
    events.body().get("items").forEach(e -> toStatuses.add(e.path("to_status").asText()));
    assertThat(toStatuses).contains("pending", "archived");
    assertThat(create(model, request(model, "old"), key).text("deployment_id")).isEqualTo(id);
    assertThat(api.get("/api/deployments/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(api.get("/api/deployments/not-a-uuid").status()).isEqualTo(422);
  }

  @Test
  void userPsksArePaginatedNewestFirstAndRevokedOnesOnlyWithIncludeDeleted() {
    String owner = "pager-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ApiResponse issued =
          api.post(
              "/api/psks",
              Map.of("name", "k" + i, "owner", owner, "roles", List.of(), "validity_days", 1));
      assertThat(issued.status()).isEqualTo(201);
      ids.add(issued.text("psk_id"));
    }
    assertThat(api.delete("/api/psks/" + ids.get(1)).status()).isEqualTo(204);

    List<String> live = idsOf(owner, false);
    List<String> all = idsOf(owner, true);

    assertThat(live).containsExactly(ids.get(2), ids.get(0));
    assertThat(all).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(api.get("/api/psks?page_size=0").status()).isEqualTo(422);
    assertThat(api.get("/api/psks?page_token=garbage").status()).isEqualTo(422);
  }

  /** Every key of {@code owner}, following the pages of two. */
  private List<String> idsOf(String owner, boolean includeDeleted) {
    List<String> ids = new ArrayList<>();
    String token = null;
    do {
      String path = "/api/psks?page_size=2&include_deleted=" + includeDeleted;
      if (token != null) {
        path += "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
      }
      ApiResponse page = api.get(path);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
      for (JsonNode key : page.body().get("items")) {
        if (owner.equals(key.get("owner").asText())) {
          ids.add(key.get("psk_id").asText());
        }
      }
      JsonNode next = page.body().get("next_page_token");
      token = next == null || next.isNull() ? null : next.asText();
    } while (token != null);
    return ids;
  }

  private ApiResponse create(String model, Map<String, Object> body, String key) {
    return api.send(
        "POST", deployments(model), body, key == null ? Map.of() : Map.of("Idempotency-Key", key));
  }

  private static String deployments(String model) {
    return "/api/models/" + model + "/deployments";
  }

  private static Map<String, Object> request(String modelName, String name) {
    return SampleRequests.deployment(modelName, name);
  }
}
