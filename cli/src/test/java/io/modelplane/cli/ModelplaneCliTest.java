package io.modelplane.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line parsed and run in-process against WireMock standing in for the server. */
class ModelplaneCliTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;

  private static final UUID JOB_ID = UUID.fromString("4b6f2c1e-8a52-4d7e-9a55-0c1f7d3e2a10");
  private static final String JOBS = "/api/automl/train/jobs";

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private Result run(String... args) {
    return run(Map.of(), "", args);
  }

  private Result run(Map<String, String> extraEnv, String stdin, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("MODELPLANE_URL", server.baseUrl());
    env.put("MODELPLANE_PSK", "test-psk-1234567890");
    env.put("MODELPLANE_CONFIG", dir.resolve("no-config.yaml").toString());
    env.putAll(extraEnv);
    env.values().removeIf(String::isEmpty);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ModelplaneCli.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String job(UUID id, String status, String extra) {
    return """
        {"job_id":"%s","name":"churn","domain":"crm","owner":"ana","source_table":"crm.customers",
         "problem_type":"binary_classification","algorithm":"lightgbm_classifier",
         "preset":"balanced","status":"%s"%s,
         "created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05Z"}
        """
        .formatted(id, status, extra);
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    Result r = run("--help");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("jobs", "deployments", "runs", "psks", "webhooks", "events", "completion")
        .contains("Exit codes: 0 ok; 1 server error");
  }

  @Test
  void runsListWithoutADeploymentListsTheRunsOfEveryDeployment() {
    server.stubFor(
        get(urlPathEqualTo("/api/runs"))
            .willReturn(
                okJson(
                    """
                    {"items":[{"run_id":"%s","airflow_run_id":"modelplane__1","status":"failed",
                     "model_name":"churn","deployment_name":"nightly",
                     "created_at":"2025-01-02T03:04:05Z"}],"next_page_token":null}
                    """
                        .formatted(JOB_ID))));

    Result r =
        run(
            "runs",
            "list",
            "--status",
            "failed",
            "--status",
            "queued",
            "--owner",
            "ana",
            "--sort",
            "status",
            "--order",
            "asc",
            "--limit",
            "10");
    Result half = run("runs", "list", "churn");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains(JOB_ID.toString(), "churn", "nightly", "failed");
    server.verify(
        1,
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
            urlEqualTo(
                "/api/runs?owner=ana&status=failed&status=queued&sort_by=status&order=asc"
                    + "&page_size=10")));
    assertThat(half.code()).as(half.toString()).isEqualTo(2);
    assertThat(half.err()).contains("give both");
  }

  @Test
  void anUnknownCommandOrABadJobIdIsAUsageErrorAndSendsNothing() {
    Result unknown = run("jbos", "list");
    Result badId = run("jobs", "get", "not-a-uuid");

    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("'jbos'");
    assertThat(badId.code()).as(badId.toString()).isEqualTo(2);
    assertThat(badId.err()).contains("JOB_ID", "not-a-uuid");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void listPrintsATableOrJson() throws IOException {
    server.stubFor(
        get(urlPathEqualTo(JOBS))
            .willReturn(
                okJson(
                    "{\"items\":[" + job(JOB_ID, "running", "") + "],\"next_page_token\":null}")));

    Result table = run("jobs", "list");
    Result json = run("jobs", "list", "-o", "json");

    assertThat(table.code()).as(table.toString()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("JOB_ID")
        .contains("NAME", "STATUS", "PROBLEM_TYPE");
    assertThat(table.out()).contains(JOB_ID + "  churn  running  binary_classification");
    JsonNode parsed = new ObjectMapper().readTree(json.out());
    assertThat(parsed.isArray()).isTrue();
    assertThat(parsed.get(0).path("job_id").asText()).isEqualTo(JOB_ID.toString());
    assertThat(parsed.get(0).path("created_at").asText()).isEqualTo("2025-01-02T03:04:05Z");
    server.verify(
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(JOBS))
            .withHeader("Authorization-PSK", equalTo("test-psk-1234567890"))
            .withQueryParam("page_size", equalTo("50")));
  }

  @Test
  void createReadsAYamlFileWithTheApisFieldNames() throws IOException {
    Path file = dir.resolve("job.yaml");
    Files.writeString(
        file,
        """
        name: churn
        domain: crm
        owner: ana
        source_table: crm.customers
        problem_type: binary_classification
        label_column: churned
        """);
    server.stubFor(
        post(urlEqualTo(JOBS))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(job(JOB_ID, "ready", ""))));

    Result r = run("jobs", "create", "-f", file.toString(), "--no-trigger");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("job_id:", JOB_ID.toString(), "status:", "ready");
    server.verify(
        postRequestedFor(urlEqualTo(JOBS))
            .withRequestBody(
                equalToJson(
                    """
                    {"name":"churn","domain":"crm","owner":"ana","source_table":"crm.customers",
                     "problem_type":"binary_classification","label_column":"churned",
                     "trigger_now":false}
                    """,
                    true,
                    true)));
  }

  @Test
  void anUnknownFieldInTheFileIsAUsageError() throws IOException {
    Path file = dir.resolve("job.json");
    Files.writeString(file, "{\"name\": \"churn\", \"lable_column\": \"x\"}");

    Result r = run("jobs", "create", "-f", file.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("unknown field 'lable_column'");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void exitCodesFollowTheOutcome() throws IOException {
    server.stubFor(
        get(urlEqualTo(JOBS + "/" + JOB_ID))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-Request-Id", "req-1")
                    .withBody("{\"error\":\"Training job not found\",\"code\":404}")));
    UUID broken = UUID.randomUUID();
    server.stubFor(
        get(urlEqualTo(JOBS + "/" + broken))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"Internal error\",\"code\":500}")));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Result notFound = run("jobs", "get", JOB_ID.toString());
    Result serverError = run("jobs", "get", broken.toString());
    Result unreachable =
        run(
            Map.of("MODELPLANE_URL", "http://127.0.0.1:" + closedPort),
            "",
            "jobs",
            "get",
            JOB_ID.toString());
    Result noUrl = run(Map.of("MODELPLANE_URL", ""), "", "jobs", "list");

    assertThat(notFound.code()).as(notFound.toString()).isEqualTo(3);
    assertThat(notFound.err())
        .isEqualTo("modelplane: HTTP 404: Training job not found (request id req-1)\n");
    assertThat(serverError.code()).as(serverError.toString()).isEqualTo(1);
    assertThat(unreachable.code()).as(unreachable.toString()).isEqualTo(4);
    assertThat(unreachable.err())
        .contains("could not reach the Modelplane server at http://127.0.0.1:" + closedPort);
    assertThat(noUrl.code()).as(noUrl.toString()).isEqualTo(2);
    assertThat(noUrl.err()).contains("no server URL: set MODELPLANE_URL");
  }

  @Test
  void waitStopsAtOnceOnAJobThatCannotMoveAndExits1() {
    server.stubFor(
        get(urlEqualTo(JOBS + "/" + JOB_ID))
            .willReturn(
                okJson(
                    job(JOB_ID, "ready", ",\"error_message\":\"No orchestrator is configured\""))));
    server.stubFor(
        get(urlEqualTo(JOBS + "/" + JOB_ID + "/events")).willReturn(okJson("{\"items\":[]}")));

    Result r = run("jobs", "wait", JOB_ID.toString(), "--timeout", "1h");

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).matches("(?s)\\[ *0\\.\\ds] training job " + JOB_ID + " is ready\n");
    assertThat(r.err())
        .contains("stopped waiting for training job " + JOB_ID)
        .contains("it is ready and will not start on its own: No orchestrator is configured");
  }

  @Test
  void aProfileFromTheConfigurationFileIsUsed() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        profiles:
          local:
            url: %s
            psk: profile-psk-1234567890
        """
            .formatted(server.baseUrl()));
    server.stubFor(get(urlPathEqualTo("/api/psks")).willReturn(okJson("{\"items\":[]}")));

    Result r =
        run(
            Map.of("MODELPLANE_URL", "", "MODELPLANE_PSK", ""),
            "",
            "psks",
            "list",
            "--config",
            config.toString(),
            "--profile",
            "local");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("PSK_ID");
    server.verify(
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/api/psks"))
            .withHeader("Authorization-PSK", equalTo("profile-psk-1234567890")));
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    Result r = run("completion", "bash");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("complete -F", "modelplane", "deployments", "trigger");
  }

  @Test
  void webhooksCreatePrintsTheSecretOnceAndSendsTypesAndFilters() {
    server.stubFor(
        post(urlEqualTo("/api/webhooks"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\"0c211ef2-fa36-4d44-89b4-f9ec61500e8e\","
                            + "\"url\":\"https://hooks.example.com/a\","
                            + "\"event_types\":[\"deployment.status_changed\"],\"filters\":{},"
                            + "\"created_by\":\"platform\",\"created_at\":\"2026-11-30T10:00:00Z\","
                            + "\"failing\":false,\"secret\":\"whsec_"
                            + "A".repeat(43)
                            + "=\"}")));

    Result r =
        run(
            "webhooks",
            "create",
            "https://hooks.example.com/a",
            "--event",
            "deployment.status_changed",
            "--filter",
            "model=churn");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().trim()).isEqualTo("whsec_" + "A".repeat(43) + "=");
    assertThat(r.err()).contains("not shown again");
    server.verify(
        postRequestedFor(urlEqualTo("/api/webhooks"))
            .withRequestBody(
                equalToJson(
                    "{\"url\":\"https://hooks.example.com/a\","
                        + "\"event_types\":[\"deployment.status_changed\"],"
                        + "\"filters\":{\"model\":\"churn\"}}")));
    assertThat(run("webhooks", "create", "https://x", "--event", "nope").code()).isEqualTo(2);
  }

  @Test
  void eventsPrintsAPageAndTheNextCursor() {
    server.stubFor(
        get(urlPathEqualTo("/api/events"))
            .willReturn(
                okJson(
                    "{\"items\":[{\"id\":\"evt_7\",\"type\":\"job.status_changed\","
                        + "\"timestamp\":\"2026-11-30T10:00:00Z\",\"data\":{\"job_id\":\"j\"}}],"
                        + "\"next\":\"c2VxOjc\"}")));

    Result r = run("events", "--after", "c2VxOjY", "--types", "job.status_changed");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("evt_7", "job.status_changed");
    assertThat(r.err()).contains("next: c2VxOjc");
    server.verify(
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/api/events"))
            .withQueryParam("after", equalTo("c2VxOjY")));
  }
}
