package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.testsupport.process.ServerJarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar as an operator starts it: the embedded default setup, and a refused start. Raw
 * HTTP (what any client can send), through the contract proxy.
 */
class ServerStartupIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void servesHealthPingOnEmbeddedH2WithOnlyThePlatformPsk() throws Exception {
    try (ServerUnderTest server = ServerUnderTest.onH2("startup-h2", Map.of())) {
      System.out.println(
          "[modelplane-it] server jar start-to-ping (embedded H2): "
              + server.server().startupMillis()
              + " ms");

      HttpResponse<String> ping = send(get(server, "/api/health/ping").build());

      assertThat(ping.statusCode()).isEqualTo(200);
      assertThat(ping.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      JsonNode body = JSON.readTree(ping.body());
      assertThat(body.path("status").asText()).isEqualTo("ok");
      assertThat(body.path("version").isTextual()).isTrue();
      assertThat(body.path("version").asText()).isNotBlank();
      assertThat(body.path("build_number").isTextual()).isTrue();
      assertThat(body.path("build_number").asText()).isNotBlank();

      // The embedded default really is in use: ready, with its files in the data directory.
      HttpResponse<String> ready = send(get(server, "/api/health/ready").build());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(JSON.readTree(ready.body()).path("checks").path("database").asText())
          .isEqualTo("ok");
      try (Stream<Path> files = Files.list(server.dataDir())) {
        assertThat(files).isNotEmpty();
      }
      server.assertContractKept();
    }
  }

  @Test
  void refusesToStartWithExitCode2NamingTheVariableWhenThePlatformPskIsMissing(
      @TempDir Path dataDir) {
    try (ServerJarProcess server =
        ServerProcess.launch("startup-no-psk", Map.of("MODELPLANE_DATA_DIR", dataDir.toString()))) {
      int exitCode = server.awaitExit(ServerProcess.START_TIMEOUT);

      assertThat(exitCode).isEqualTo(2);
      assertThat(server.log()).contains("MODELPLANE_PLATFORM_PSK");
    }
  }

  @Test
  void neverWritesThePlatformPskOrARejectedKeyToItsLog() throws Exception {
    String wrongKey = "it-psk-" + UUID.randomUUID().toString().replace("-", "");
    String jobBody =
        """
        {"name": "log-check", "domain": "it", "owner": "it", "source_table": "s.t",
         "problem_type": "regression", "label_column": "y", "trigger_now": false}
        """;
    String log;
    String psk;
    try (ServerUnderTest server = ServerUnderTest.onH2("startup-secrets", Map.of())) {
      psk = server.psk();
      HttpResponse<String> created =
          send(
              post(server, "/api/automl/train/jobs", jobBody)
                  .header("Authorization-PSK", psk)
                  .build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String jobId = JSON.readTree(created.body()).path("job_id").asText();

      assertThat(
              send(get(server, "/api/automl/train/jobs/" + jobId)
                      .header("Authorization", "Bearer " + psk)
                      .build())
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              send(get(server, "/api/automl/train/jobs/" + UUID.randomUUID())
                      .header("Authorization-PSK", psk)
                      .build())
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              send(get(server, "/api/automl/train/jobs")
                      .header("Authorization-PSK", wrongKey)
                      .build())
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              send(get(server, "/api/automl/train/jobs")
                      .header("Authorization", "Bearer " + wrongKey)
                      .build())
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              send(post(server, "/api/automl/train/jobs", "{not json")
                      .header("Authorization-PSK", psk)
                      .build())
                  .statusCode())
          .isEqualTo(422);
      server.assertContractKept();

      // Stopped: the log is complete, shutdown included.
      server.server().close();
      log = server.server().log();
    }

    assertThat(log).as("the captured log").contains("/api/automl/train/jobs");
    assertThat(log).doesNotContain(psk);
    assertThat(log).doesNotContain(wrongKey);
  }

  private static HttpRequest.Builder get(ServerUnderTest server, String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .GET();
  }

  private static HttpRequest.Builder post(ServerUnderTest server, String path, String json) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
