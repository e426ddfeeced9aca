package io.modelplane.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelplane.client.model.JobCreate;
import io.modelplane.client.model.JobResponse;
import io.modelplane.client.model.JobStatus;
import io.modelplane.client.model.JobType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The requests of the {@code jobs()} resource group, as the Nx1 SDK's JobsClient makes them. */
class JobsTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final UUID ID = UUID.randomUUID();

  private ModelplaneClient client() {
    return FakeTime.retryingClient(server.baseUrl());
  }

  private static String job(String status) {
    return "{\"id\":\""
        + ID
        + "\",\"job_name\":\"ingest\",\"owner_id\":\"platform\",\"job_type\":\"airflow.ingest\","
        + "\"status\":\""
        + status
        + "\",\"attempt\":0,\"is_deleted\":false,\"properties_json\":{\"dag_id\":\"x\"},"
        + "\"created_at\":\"2026-11-30T10:00:00Z\",\"updated_at\":\"2026-11-30T10:00:00Z\"}";
  }

  @Test
  void aCreateIsSentOnceEvenWhenTheServerIsUnavailable() {
    server.stubFor(post(urlEqualTo("/api/jobs")).willReturn(aResponse().withStatus(503)));

    JobCreate request =
        new JobCreate()
            .jobType(JobType.AIRFLOW_INGEST)
            .jobName("ingest")
            .propertiesJson(Map.of("dag_id", "x"));
    assertThatThrownBy(() -> client().jobs().create(request))
        .isInstanceOf(ModelplaneException.class);

    server.verify(
        1,
        postRequestedFor(urlEqualTo("/api/jobs"))
            .withRequestBody(
                equalToJson(
                    "{\"job_type\":\"airflow.ingest\",\"job_name\":\"ingest\","
                        + "\"properties_json\":{\"dag_id\":\"x\"}}")));
  }

  @Test
  void theListIsAJsonArrayWithLimitAndOffset() {
    server.stubFor(
        get(urlEqualTo("/api/jobs?include_deleted=false&limit=10&offset=20"))
            .willReturn(okJson("[" + job("new") + "]")));

    List<JobResponse> jobs = client().jobs().list(null, null, false, 10, 20);

    assertThat(jobs).extracting(JobResponse::getId).containsExactly(ID);
    assertThat(jobs.get(0).getPropertiesJson()).containsEntry("dag_id", "x");
  }

  @Test
  void theNextPageIsAskedForAfterTheLastJobOfThePreviousOne() {
    UUID last = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    server.stubFor(
        get(urlEqualTo(
                "/api/jobs?status=completed&include_deleted=false&limit=2&offset=0&after=" + last))
            .willReturn(okJson("[" + job("completed") + "]")));

    List<JobResponse> jobs = client().jobs().listAfter(null, JobStatus.COMPLETED, false, 2, last);

    assertThat(jobs).extracting(JobResponse::getId).containsExactly(ID);
  }

  @Test
  void aStatusWritebackIsRetriedAndTheWaiterStopsOnCompleted() {
    String path = "/api/jobs/" + ID + "/status";
    server.stubFor(
        put(urlEqualTo(path))
            .inScenario("retry")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    server.stubFor(
        put(urlEqualTo(path))
            .inScenario("retry")
            .whenScenarioStateIs("up")
            .willReturn(okJson(job("completed"))));
    server.stubFor(get(urlEqualTo("/api/jobs/" + ID)).willReturn(okJson(job("completed"))));

    JobResponse updated = client().jobs().updateStatus(ID, JobStatus.COMPLETED, "done");
    JobResponse waited = client().jobs().waitForCompletion(ID, java.time.Duration.ofSeconds(5));

    assertThat(updated.getStatus()).isEqualTo(JobStatus.COMPLETED);
    assertThat(waited.getStatus()).isEqualTo(JobStatus.COMPLETED);
    server.verify(
        2,
        putRequestedFor(urlEqualTo(path))
            .withRequestBody(
                equalToJson("{\"status\":\"completed\",\"status_message\":\"done\"}")));
    server.verify(1, getRequestedFor(urlEqualTo("/api/jobs/" + ID)));
  }
}
