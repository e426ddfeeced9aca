package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.testsupport.process.ServerJarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar as an operator runs it: {@code /metrics} after a few calls, JSON log lines ({@code
 * MODELPLANE_LOG_FORMAT=json}) carrying the request's fields, and a wrong log level refused at
 * start (exit 2, naming the variable).
 */
class OperationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void metricsAndJsonLogsOfTheServerJar() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    try (ServerUnderTest server =
        ServerUnderTest.onH2("operations-json", Map.of("MODELPLANE_LOG_FORMAT", "json"))) {
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/automl/train/jobs"))
                  .header("Authorization-PSK", server.psk())
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
                          {"name": "ops\\r\\nforged", "domain": "ops", "owner": "ana",
                           "source_table": "s.t", "problem_type": "regression",
                           "label_column": "y", "trigger_now": false}
                          """)));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String jobId = JSON.readTree(created.body()).path("job_id").asText();
      assertThat(
              send(HttpRequest.newBuilder(
                          URI.create(server.baseUrl() + "/api/automl/train/jobs/" + jobId))
                      .header("Authorization-PSK", server.psk()))
                  .statusCode())
          .isEqualTo(200);

      HttpResponse<String> metrics =
          send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")));
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("route=\"/api/automl/train/jobs/{job_id}\",status=\"200\"")
          .contains("jvm_memory_used_bytes")
          .contains("hikaricp_connections")
          .contains("modelplane_outbox_depth")
          .doesNotContain(jobId);
      server.assertContractKept();
      server.server().close();
      for (String line : server.server().log().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        lines.add(JSON.readTree(line)); // every line is one JSON object
      }
    }
    JsonNode access =
        lines.stream()
            .filter(line -> line.path("logger").asText().equals("modelplane.access"))
            .filter(line -> line.path("route").asText().equals("/api/automl/train/jobs/{job_id}"))
            .findFirst()
            .orElseThrow();
    assertThat(access.path("time").asText()).endsWith("Z");
    assertThat(access.path("level").asText()).isEqualTo("INFO");
    assertThat(access.path("request_id").asText()).isNotBlank();
    assertThat(access.path("caller").asText()).isNotBlank();
    assertThat(access.path("status").asText()).isEqualTo("200");
    assertThat(access.path("duration_ms").asText()).matches("\\d+\\.\\d");
  }

  @Test
  void aWrongLogLevelIsAStartUpErrorNamingTheVariable(@TempDir Path dataDir) {
    try (ServerJarProcess server =
        ServerProcess.launch(
            "operations-bad-level",
            Map.of(
                "MODELPLANE_DATA_DIR", dataDir.toString(),
                "MODELPLANE_PLATFORM_PSK", "it-platform-psk-0123456789",
                "MODELPLANE_LOG_LEVEL", "verbose"))) {
      assertThat(server.awaitExit(ServerProcess.START_TIMEOUT)).isEqualTo(2);
      assertThat(server.log()).contains("MODELPLANE_LOG_LEVEL").contains("verbose");
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
