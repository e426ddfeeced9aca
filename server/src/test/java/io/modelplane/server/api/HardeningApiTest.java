package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Request body limit and security headers, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningApiTest {
  private static final String JOBS = "/api/automl/train/jobs";
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

  private static Map<String, Object> job() {
    Map<String, Object> body = SampleRequests.trainingJobNamed("churn");
    body.put("domain", "hardening");
    body.put("trigger_now", false);
    return body;
  }

  /** The job as JSON followed by whitespace up to {@code size} bytes: still a valid request. */
  private static String padded(int size) {
    try {
      String json = new ObjectMapper().writeValueAsString(job());
      return json + " ".repeat(size - json.length());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBodyOverOneMebibyteIs413() {
    ApiResponse tooLarge = api.post(JOBS, padded(1024 * 1024 + 1));

    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.body().get("code").asInt()).isEqualTo(413);
    assertThat(tooLarge.text("error")).contains("at most 1048576 bytes");
    assertThat(tooLarge.text("request_id")).isNotBlank();
    assertThat(tooLarge.header("Connection")).isEqualTo("close"); // the body was not read
    assertThat(api.post("/api/psks", "{\"pad\": \"" + "y".repeat(1100 * 1024) + "\"}").status())
        .isEqualTo(413);
  }

  @Test
  void aBodyOfExactlyTheLimitIsServed() {
    ApiResponse created = api.post(JOBS, padded(1024 * 1024));

    assertThat(created.status()).isEqualTo(201);
  }

  @Test
  void aChunkedBodyThatRunsOverTheLimitIs413Too() throws Exception {
    Map<String, Object> job = job();
    job.put("domain", "chunked");
    String json = new ObjectMapper().writeValueAsString(job);
    Map<String, Object> longName = new LinkedHashMap<>(job);
    longName.put("name", "z".repeat(2 * 1024 * 1024));
    // Over the limit inside a field, and in the whitespace before the first token.
    for (String body :
        List.of(
            new ObjectMapper().writeValueAsString(longName), " ".repeat(2 * 1024 * 1024) + json)) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      HttpRequest request =
          HttpRequest.newBuilder(server.baseUri().resolve(JOBS))
              .header("Authorization-PSK", TestServer.PSK)
              .header("Content-Type", "application/json")
              // No length known in advance: sent chunked.
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
              .build();

      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(413);
      JsonNode error = new ObjectMapper().readTree(response.body());
      assertThat(error.get("code").asInt()).isEqualTo(413);
      assertThat(error.get("error").asText()).contains("at most 1048576 bytes");
    }
    assertThat(api.get(JOBS + "?domain=chunked").body().get("items")).isEmpty();
  }

  @Test
  void everyApiResponseCarriesTheSecurityHeaders() {
    List<ApiResponse> responses =
        List.of(
            server.anonymousClient().get("/api/health/ping"), // 200, public
            server.anonymousClient().get(JOBS), // 401
            api.withPsk("mpk_unknown").get(JOBS), // 401
            api.get(JOBS + "/00000000-0000-0000-0000-000000000000"), // 404
            api.post(JOBS, Map.of("problem_type", "clustering")), // 422
            api.post(JOBS, padded(1024 * 1024 + 1)), // 413
            api.post("/api/models/m/deployments/d/trigger", null), // 501
            api.post(JOBS, job())); // 201
    for (ApiResponse response : responses) {
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("Cache-Control")).isEqualTo("no-store");
      assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(response.header("Content-Security-Policy"))
          .isEqualTo("default-src 'none'; frame-ancestors 'none'");
      assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(response.header("Server")).isNull();
      assertThat(response.header("X-Request-Id")).isNotBlank();
    }
  }

  @Test
  void aForbiddenAnswerCarriesTheSecurityHeadersToo() {
    String secret =
        api.post(
                "/api/psks",
                Map.of("name", "h", "owner", "ana", "roles", List.of(), "validity_days", 1))
            .text("secret");

    ApiResponse forbidden = api.withPsk(secret).get("/api/psks");

    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(forbidden.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void a422EchoesAtMostOneKilobyteOfEachValue() {
    Map<String, Object> tooLongName = job();
    tooLongName.put("name", "é".repeat(450_000)); // 900 KB of UTF-8
    Map<String, Object> wrongType = job();
    wrongType.put("trigger_now", "x".repeat(900_000));
    Map<String, Object> longFunction = new LinkedHashMap<>();
    longFunction.put("filter_sql", "f" + "x".repeat(3_900) + "(1) = 1");

    for (ApiResponse refused :
        List.of(
            api.post(JOBS, tooLongName),
            api.post(JOBS, wrongType),
            api.send("PATCH", "/api/models/m/deployments/nope", longFunction, Map.of()))) {
      assertThat(refused.status())
          .as(refused.rawBody().substring(0, Math.min(200, refused.rawBody().length())))
          .isIn(404, 422);
      assertThat(refused.rawBody().getBytes(StandardCharsets.UTF_8).length)
          .as("the whole answer")
          .isLessThan(4 * 1024);
      if (refused.status() == 422) {
        for (JsonNode problem : refused.body().get("detail")) {
          assertThat(problem.path("input").asText().getBytes(StandardCharsets.UTF_8).length)
              .isLessThanOrEqualTo(1024);
          assertThat(problem.get("msg").asText().getBytes(StandardCharsets.UTF_8).length)
              .isLessThanOrEqualTo(1024);
        }
      }
    }
    JsonNode echoed = api.post(JOBS, tooLongName).body().get("detail").get(0);
    assertThat(echoed.get("input").asText()).startsWith("éééé").endsWith("…");
  }
}
