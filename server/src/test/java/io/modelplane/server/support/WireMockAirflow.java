package io.modelplane.server.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.modelplane.server.config.AirflowApiVersion;
import io.modelplane.server.config.AirflowConfig;

/**
 * WireMock on a free port standing in for Airflow's REST API v2, answering each call the way
 * Airflow does: {@code POST /auth/token} is 201 with a session token, {@code PATCH
 * /api/v2/dags/{dag_id}} (pause, unpause) and {@code POST /api/v2/dags/{dag_id}/dagRuns} are 200
 * with JSON, {@code DELETE /api/v2/dags/{dag_id}} is 204. A test answers only the calls its flow
 * makes; a call it does not answer gets WireMock's 404, as from an Airflow that does not know the
 * DAG. Failures a test needs go on top with {@code atPriority(1)}.
 */
public final class WireMockAirflow extends WireMockServer {
  private static final String DAG = "/api/v2/dags/[^/]+";
  private static final String DAG_RUNS = DAG + "/dagRuns";
  private static final String DAG_RUN = DAG_RUNS + "/[^/]+";

  public WireMockAirflow() {
    super(options().dynamicPort());
  }

  /** What Airflow's {@code POST /auth/token} answers: 201 with the token. */
  public static ResponseDefinitionBuilder token(String token) {
    return aResponse()
        .withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\"}");
  }

  /** The server setting for this stand-in: API v2 with a session token. */
  public AirflowConfig config() {
    return TestServer.airflow(baseUrl(), AirflowApiVersion.V2);
  }

  /**
   * Forgets earlier stubs and requests, then answers what every flow starts with: the session
   * token, pausing and unpausing a DAG, and triggering a DAG run (queued).
   */
  public WireMockAirflow resetToTokenPauseAndTrigger() {
    resetAll();
    stubFor(post("/auth/token").willReturn(token("t")));
    stubFor(patch(urlPathMatching(DAG)).willReturn(okJson("{}")));
    stubFor(post(urlPathMatching(DAG_RUNS)).willReturn(okJson("{\"state\":\"queued\"}")));
    return this;
  }

  /** Answers {@code PATCH .../dagRuns/{run_id}} (marking a run failed) with 200. */
  public WireMockAirflow answerDagRunUpdates() {
    stubFor(patch(urlPathMatching(DAG_RUN)).willReturn(okJson("{}")));
    return this;
  }

  /** Answers {@code GET .../dagRuns/{run_id}} with every run in {@code state}. */
  public WireMockAirflow answerDagRunsAs(String state) {
    stubFor(get(urlPathMatching(DAG_RUN)).willReturn(okJson("{\"state\":\"" + state + "\"}")));
    return this;
  }

  /** Answers {@code DELETE /api/v2/dags/{dag_id}} with 204. */
  public WireMockAirflow answerDagDeletes() {
    stubFor(delete(urlPathMatching(DAG)).willReturn(aResponse().withStatus(204)));
    return this;
  }
}
