package io.modelplane.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.modelplane.testsupport.oidc.TestIssuer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * WireMock standing in for the server's three peers, on one port: Airflow's REST API (v2, with a
 * session token from {@code /auth/token}), MLflow's model registry and the Keycloak realm's JWKS.
 *
 * <p>Airflow can be taken down ({@link #airflowDown}: connection resets, or {@link
 * #airflowUnavailable}: 503s) and brought back ({@link #airflowHealthy}); {@link
 * #successfulTriggers} counts the DAG runs it really accepted.
 */
final class ExternalSystems implements AutoCloseable {

  static final String AIRFLOW_USER = "modelplane";
  static final String AIRFLOW_PASSWORD = "airflow-password-it";
  static final String AIRFLOW_TOKEN = "airflow-session-token-it";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAG = "/api/v2/dags/[^/]+";
  private static final String DAG_RUNS = DAG + "/dagRuns";
  private static final String DAG_RUN = DAG_RUNS + "/[^/]+";

  private final WireMockServer wiremock;
  private final TestIssuer issuer = new TestIssuer();
  private StubMapping triggerStub;
  private StubMapping unpauseStub;
  private StubMapping outage;
  private StubMapping refusal;
  private final Map<String, StubMapping> aliasStubs =
      new java.util.concurrent.ConcurrentHashMap<>();

  ExternalSystems() {
    wiremock = new WireMockServer(options().dynamicPort().containerThreads(40));
    wiremock.start();
    stubAirflow();
    stubMlflowDefaults();
    wiremock.stubFor(
        get(urlPathEqualTo(TestIssuer.JWKS_PATH))
            .willReturn(okJson(issuer.jwks()).withHeader("Cache-Control", "no-store")));
  }

  WireMockServer wiremock() {
    return wiremock;
  }

  TestIssuer issuer() {
    return issuer;
  }

  String baseUrl() {
    return wiremock.baseUrl();
  }

  /** The server's settings for Airflow (v2, username and password) and short outbox delays. */
  Map<String, String> airflowEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MODELPLANE_AIRFLOW_URL", baseUrl());
    env.put("MODELPLANE_AIRFLOW_API_VERSION", "v2");
    env.put("MODELPLANE_AIRFLOW_USERNAME", AIRFLOW_USER);
    env.put("MODELPLANE_AIRFLOW_PASSWORD", AIRFLOW_PASSWORD);
    env.put("MODELPLANE_OUTBOX_POLL_MS", "50");
    env.put("MODELPLANE_OUTBOX_BACKOFF_MS", "50");
    env.put("MODELPLANE_OUTBOX_MAX_ATTEMPTS", "100");
    return env;
  }

  Map<String, String> mlflowEnv() {
    return Map.of("MODELPLANE_MLFLOW_URL", baseUrl());
  }

  Map<String, String> oidcEnv() {
    return Map.of(
        "MODELPLANE_OIDC_ISSUER",
        issuer.issuer(),
        "MODELPLANE_OIDC_JWKS_URL",
        baseUrl() + TestIssuer.JWKS_PATH,
        "MODELPLANE_OIDC_AUDIENCE",
        TestIssuer.AUDIENCE);
  }

  /** Everything: Airflow, MLflow and the issuer. */
  Map<String, String> allEnv() {
    Map<String, String> env = new LinkedHashMap<>(airflowEnv());
    env.putAll(mlflowEnv());
    env.putAll(oidcEnv());
    return env;
  }

  // ------------------------------------------------------------------ Airflow

  private void stubAirflow() {
    wiremock.stubFor(
        post(urlPathEqualTo("/auth/token"))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"access_token\":\"" + AIRFLOW_TOKEN + "\",\"token_type\":\"bearer\"}")));
    // Without the session token Airflow answers 401 (lower priority than the real stubs).
    wiremock.stubFor(
        any(urlPathMatching("/api/v2/.*"))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"detail\":\"Not authenticated\"}")));
    unpauseStub =
        wiremock.stubFor(
            patch(urlPathMatching(DAG))
                .atPriority(5)
                .withQueryParam("update_mask", equalTo("is_paused"))
                .withHeader("Authorization", equalTo("Bearer " + AIRFLOW_TOKEN))
                .willReturn(okJson("{\"is_paused\":false}")));
    triggerStub =
        wiremock.stubFor(
            post(urlPathMatching(DAG_RUNS))
                .atPriority(5)
                .withHeader("Authorization", equalTo("Bearer " + AIRFLOW_TOKEN))
                .willReturn(okJson("{\"state\":\"queued\"}")));
    wiremock.stubFor(
        get(urlPathMatching(DAG_RUN))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer " + AIRFLOW_TOKEN))
            .willReturn(okJson("{\"state\":\"queued\"}")));
    wiremock.stubFor(
        patch(urlPathMatching(DAG_RUN))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer " + AIRFLOW_TOKEN))
            .willReturn(okJson("{\"state\":\"failed\"}")));
    wiremock.stubFor(
        delete(urlPathMatching(DAG))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer " + AIRFLOW_TOKEN))
            .willReturn(aResponse().withStatus(204)));
  }

  /** Airflow is unreachable: every call (token included) has its connection reset. */
  void airflowDown() {
    setOutage(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
  }

  /** Airflow answers 503 to every call. */
  void airflowUnavailable() {
    setOutage(
        aResponse()
            .withStatus(503)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"detail\":\"Service Unavailable\"}"));
  }

  /**
   * Airflow refuses every DAG run with this status (e.g. 400: a permanent refusal) until {@link
   * #airflowHealthy}.
   */
  synchronized void airflowRefusesRuns(int status, String detail) {
    airflowHealthy();
    refusal =
        wiremock.stubFor(
            post(urlPathMatching(DAG_RUNS))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\":\"" + detail + "\"}")));
  }

  private synchronized void setOutage(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
    airflowHealthy();
    outage =
        wiremock.stubFor(
            any(urlPathMatching("/(api/v2|auth)/.*")).atPriority(1).willReturn(response));
  }

  /** Airflow is back (no outage, no refusal). */
  synchronized void airflowHealthy() {
    if (outage != null) {
      wiremock.removeStub(outage);
      outage = null;
    }
    if (refusal != null) {
      wiremock.removeStub(refusal);
      refusal = null;
    }
  }

  /** Airflow's reported state of one DAG run (for the bulk-status reconciliation). */
  void airflowRunState(String dagRunId, String state) {
    wiremock.stubFor(
        get(urlPathMatching(DAG_RUNS + "/" + dagRunId.replace("+", "\\+")))
            .atPriority(2)
            .willReturn(okJson("{\"state\":\"" + state + "\"}")));
  }

  /** Every POST of this DAG run that reached Airflow, answered or not. */
  List<ServeEvent> triggerAttempts(String dagRunId) {
    return wiremock.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getMethod().getName().equals("POST"))
        .filter(e -> e.getRequest().getUrl().matches(DAG_RUNS))
        .filter(e -> dagRunId.equals(dagRunIdOf(e)))
        .toList();
  }

  /** How many times Airflow accepted (created) this DAG run. */
  long successfulTriggers(String dagRunId) {
    return triggerAttempts(dagRunId).stream()
        .filter(e -> e.getStubMapping() != null)
        .filter(e -> Objects.equals(e.getStubMapping().getId(), triggerStub.getId()))
        .count();
  }

  /** The DAG runs Airflow accepted for a DAG, with their conf. */
  List<JsonNode> acceptedRuns(String dagId) {
    return wiremock.getAllServeEvents().stream()
        .filter(e -> e.getStubMapping() != null)
        .filter(e -> Objects.equals(e.getStubMapping().getId(), triggerStub.getId()))
        .filter(e -> e.getRequest().getUrl().startsWith("/api/v2/dags/" + dagId + "/dagRuns"))
        .map(e -> readJson(e.getRequest().getBodyAsString()))
        .toList();
  }

  /** How many times Airflow accepted a pause ({@code true}) or unpause of this DAG. */
  long successfulPauseChanges(String dagId, boolean paused) {
    return wiremock.getAllServeEvents().stream()
        .filter(e -> e.getStubMapping() != null)
        .filter(e -> Objects.equals(e.getStubMapping().getId(), unpauseStub.getId()))
        .filter(e -> e.getRequest().getUrl().startsWith("/api/v2/dags/" + dagId + "?"))
        .filter(
            e -> readJson(e.getRequest().getBodyAsString()).path("is_paused").asBoolean() == paused)
        .count();
  }

  /** How many requests of this method reached this exact path (query ignored). */
  long requests(String method, String path) {
    return wiremock.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getMethod().getName().equals(method))
        .filter(e -> e.getRequest().getUrl().split("\\?")[0].equals(path))
        .count();
  }

  private static String dagRunIdOf(ServeEvent event) {
    return readJson(event.getRequest().getBodyAsString()).path("dag_run_id").asText(null);
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }

  // ------------------------------------------------------------------ MLflow

  private void stubMlflowDefaults() {
    String notFound =
        "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"not found (WireMock)\"}";
    wiremock.stubFor(
        get(urlPathEqualTo("/api/2.0/mlflow/model-versions/get"))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(notFound)));
    wiremock.stubFor(
        get(urlPathEqualTo("/api/2.0/mlflow/registered-models/alias"))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(notFound)));
  }

  /** MLflow has this version of the model. */
  void mlflowVersion(String model, String version) {
    mlflowVersion(model, version, 0);
  }

  /** MLflow has this version, and takes {@code delayMillis} to say so. */
  void mlflowVersion(String model, String version, int delayMillis) {
    wiremock.stubFor(
        get(urlPathEqualTo("/api/2.0/mlflow/model-versions/get"))
            .atPriority(5)
            .withQueryParam("name", equalTo(model))
            .withQueryParam("version", equalTo(version))
            .willReturn(
                okJson(
                        "{\"model_version\":{\"name\":\""
                            + model
                            + "\",\"version\":\""
                            + version
                            + "\",\"status\":\"READY\"}}")
                    .withFixedDelay(delayMillis)));
  }

  /** The alias of the model points at this version now (replacing where it pointed before). */
  void mlflowAlias(String model, String alias, String version) {
    StubMapping previous = aliasStubs.remove(model + ":" + alias);
    if (previous != null) {
      wiremock.removeStub(previous);
    }
    StubMapping stub =
        get(urlPathEqualTo("/api/2.0/mlflow/registered-models/alias"))
            .atPriority(5)
            .withQueryParam("name", equalTo(model))
            .withQueryParam("alias", equalTo(alias))
            .willReturn(
                okJson(
                    "{\"model_version\":{\"name\":\""
                        + model
                        + "\",\"version\":\""
                        + version
                        + "\",\"aliases\":[\""
                        + alias
                        + "\"]}}"))
            .build();
    wiremock.addStubMapping(stub);
    aliasStubs.put(model + ":" + alias, stub);
  }

  /** How many version checks of this model reached MLflow. */
  long mlflowVersionChecks(String model) {
    return wiremock.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().startsWith("/api/2.0/mlflow/model-versions/get"))
        .filter(e -> model.equals(e.getRequest().queryParameter("name").firstValue()))
        .count();
  }

  @Override
  public void close() {
    wiremock.stop();
  }
}
