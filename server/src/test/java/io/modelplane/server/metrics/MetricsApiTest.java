package io.modelplane.server.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.server.config.AirflowApiVersion;
import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.config.MetricsConfig;
import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.Await;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import io.modelplane.server.support.WireMockAirflow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} against a real server: the named series after a few API calls (requests by
 * route template, JVM, pool, outbox, writebacks, Airflow calls), every exchange checked against the
 * contract; and the operator settings (credentials required, a port of its own, disabled).
 */
class MetricsApiTest {
  private static final String JOBS = "/api/automl/train/jobs";
  private static final Pattern UUID_IN_LABEL =
      Pattern.compile("\"[^\"]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final WireMockAirflow airflow = new WireMockAirflow();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (airflow.isRunning()) {
      airflow.stop();
    }
  }

  @Test
  void afterTheTourTheNamedSeriesAreThereOnH2() {
    namedSeriesAfterTheTour(TestDatabases.h2());
  }

  @Test
  void afterTheTourTheNamedSeriesAreThereOnPostgres() {
    namedSeriesAfterTheTour(TestDatabases.postgres());
  }

  private void namedSeriesAfterTheTour(DatabaseConfig database) {
    airflow.start();
    airflow.stubFor(
        post(urlPathMatching("/api/v2/dags/.*/dagRuns"))
            .willReturn(okJson("{\"state\":\"queued\"}")));
    airflow.stubFor(post("/auth/token").willReturn(WireMockAirflow.token("t")));
    server =
        TestServer.start(
            database, Optional.of(TestServer.airflow(airflow.baseUrl(), AirflowApiVersion.V2)));
    ApiClient api = server.client();
    api.get("/api/health/ping");
    String jobId = api.post(JOBS, job(true)).text("job_id");
    api.get(JOBS + "/" + jobId);
    api.get(JOBS + "/" + java.util.UUID.randomUUID()); // a 404 of the same route
    api.put(JOBS + "/" + jobId + "/status", Map.of("status", "running"));
    // The outbox worker triggers the DAG in the background.
    Await.until(
        () -> scrape(server.anonymousClient()),
        text -> text.contains("operation=\"trigger_dag_run\""),
        Duration.ofSeconds(30));

    ApiResponse metrics = server.anonymousClient().get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    String text = metrics.rawBody();
    assertThat(text)
        .contains(
            "http_server_requests_seconds_count{method=\"POST\",outcome=\"success\","
                + "route=\"/api/automl/train/jobs\",status=\"201\"} 1")
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",outcome=\"success\","
                + "route=\"/api/automl/train/jobs/{job_id}\",status=\"200\"} 1")
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",outcome=\"client_error\","
                + "route=\"/api/automl/train/jobs/{job_id}\",status=\"404\"} 1")
        .contains("http_server_requests_seconds_bucket{")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("jvm_classes_loaded_classes")
        .contains("hikaricp_connections_active{pool=\"modelplane-db\"}")
        .contains("modelplane_outbox_depth{kind=\"trigger_training\"}")
        .contains("modelplane_outbox_attempts{kind=\"trigger_training\"}")
        .contains("modelplane_outbox_failed_tasks{kind=\"trigger_training\"} 0")
        .contains("modelplane_outbox_oldest_due_age_seconds")
        .contains("modelplane_writebacks_total{http_status=\"200\",status=\"running\"} 1")
        .contains(
            "modelplane_external_calls_seconds_count{operation=\"trigger_dag_run\","
                + "outcome=\"ok\",system=\"airflow\"}");
    assertThat(UUID_IN_LABEL.matcher(text).find()).as("no raw path (ids) in labels").isFalse();
  }

  @Test
  void withCredentialsRequiredAScrapeNeedsAKey() {
    server = TestServer.start(withMetrics(new MetricsConfig(true, true, OptionalInt.empty())));
    ApiResponse anonymous = server.anonymousClient().get("/metrics");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.text("error")).contains("MODELPLANE_METRICS_PSK_REQUIRED");
    assertThat(server.anonymousClient().withPsk("not-the-key-0123456789").get("/metrics").status())
        .isEqualTo(401);
    assertThat(server.client().get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void onAPortOfItsOwnMetricsAreNotOnTheApiPort() throws Exception {
    ServerConfig config = withMetrics(new MetricsConfig(true, false, OptionalInt.of(0)));
    io.modelplane.server.ModelplaneServer own = io.modelplane.server.ModelplaneServer.start(config);
    try {
      ApiResponse onApi = new ApiClient(own.baseUri()).get("/metrics");
      assertThat(onApi.status()).isEqualTo(404);
      assertThat(onApi.text("error")).contains("MODELPLANE_METRICS_PORT");
      int port = own.metricsPort().orElseThrow();
      assertThat(port).isNotEqualTo(own.port());
      HttpResponse<String> scraped =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("jvm_memory_used_bytes");
    } finally {
      own.close();
    }
  }

  @Test
  void disabledMetricsAreA404() {
    server = TestServer.start(withMetrics(new MetricsConfig(false, false, OptionalInt.empty())));
    assertThat(server.anonymousClient().get("/metrics").status()).isEqualTo(404);
  }

  private static String scrape(ApiClient client) {
    return client.get("/metrics").rawBody();
  }

  private static ServerConfig withMetrics(MetricsConfig metrics) {
    return TestServer.config(TestDatabases.h2(), Optional.empty()).withMetrics(metrics);
  }

  private static Map<String, Object> job(boolean triggerNow) {
    return SampleRequests.regressionJob(triggerNow);
  }
}
