package io.modelplane.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelplane.client.model.DeploymentCreate;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.DeploymentType;
import io.modelplane.client.model.DeploymentUpdate;
import io.modelplane.client.model.ModelReference;
import io.modelplane.client.model.Psk;
import io.modelplane.client.model.PskCreate;
import io.modelplane.client.model.PskCreated;
import io.modelplane.client.model.RunSortField;
import io.modelplane.client.model.SortOrder;
import io.modelplane.client.model.SourceTable;
import io.modelplane.client.model.TargetTable;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exact requests of the deployment and key resource groups (the server does not have them yet).
 */
class ResourceGroupsTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final UUID DEPLOYMENT_ID = UUID.randomUUID();
  private static final String MODEL_PATH = "/api/models/churn%20eu/deployments";
  private static final String NIGHTLY = MODEL_PATH + "/nightly";

  private ModelplaneClient client() {
    return FakeTime.retryingClient(server.baseUrl());
  }

  private static String deployment(String status) {
    return Json.deployment(DEPLOYMENT_ID, "nightly", status);
  }

  @Test
  void createsADeploymentWithAnEncodedModelNameAndAnIdempotencyKey() {
    server.stubFor(post(urlEqualTo(MODEL_PATH)).willReturn(Json.created(deployment("pending"))));
    DeploymentCreate request =
        new DeploymentCreate()
            .name("nightly")
            .model(new ModelReference().modelName("churn eu").modelAlias("champion"))
            .source(new SourceTable().schema("crm").table("customers"))
            .target(new TargetTable().schema("crm").table("churn_scores"))
            .entityColumns(List.of("customer_id"))
            .domain("crm")
            .owner("ana")
            .schedule("0 2 * * *");

    DeploymentResponse created = client().deployments().create("churn eu", request);

    assertThat(created.getStatus()).isEqualTo(DeploymentStatus.PENDING);
    assertThat(created.getType()).isEqualTo(DeploymentType.BATCH);
    server.verify(
        postRequestedFor(urlEqualTo(MODEL_PATH))
            .withHeader("Idempotency-Key", matching(UUID_PATTERN))
            .withHeader("Authorization-PSK", equalTo("test-psk"))
            .withRequestBody(
                equalToJson(
                    """
                    {"name":"nightly","model":{"model_name":"churn eu","model_alias":"champion"},
                     "source":{"schema":"crm","table":"customers"},
                     "target":{"schema":"crm","table":"churn_scores"},
                     "entity_columns":["customer_id"],"domain":"crm","owner":"ana",
                     "schedule":"0 2 * * *"}
                    """,
                    false,
                    true)));
  }

  @Test
  void updatesArchivesStopsAndStartsADeployment() {
    server.stubFor(patch(urlEqualTo(NIGHTLY)).willReturn(okJson(deployment("active"))));
    server.stubFor(
        put(urlEqualTo(NIGHTLY + "/allowed_roles")).willReturn(okJson(deployment("active"))));
    server.stubFor(delete(urlEqualTo(NIGHTLY)).willReturn(okJson(deployment("archived"))));
    server.stubFor(post(urlEqualTo(NIGHTLY + "/stop")).willReturn(okJson(deployment("stopped"))));
    server.stubFor(post(urlEqualTo(NIGHTLY + "/start")).willReturn(okJson(deployment("active"))));
    Deployments deployments = client().deployments();

    deployments.update(
        "churn eu", "nightly", new DeploymentUpdate().schedule("0 3 * * *"), "\"v7\"");
    deployments.updateAllowedRoles("churn eu", "nightly", List.of("crm-analysts"));
    assertThat(deployments.stop("churn eu", "nightly").getStatus())
        .isEqualTo(DeploymentStatus.STOPPED);
    assertThat(deployments.start("churn eu", "nightly").getStatus())
        .isEqualTo(DeploymentStatus.ACTIVE);
    assertThat(deployments.archive("churn eu", "nightly").getStatus())
        .isEqualTo(DeploymentStatus.ARCHIVED);

    server.verify(
        patchRequestedFor(urlEqualTo(NIGHTLY))
            .withHeader("If-Match", equalTo("\"v7\""))
            .withRequestBody(equalToJson("{\"schedule\":\"0 3 * * *\"}")));
    server.verify(
        putRequestedFor(urlEqualTo(NIGHTLY + "/allowed_roles"))
            .withRequestBody(equalToJson("{\"allowed_roles\":[\"crm-analysts\"]}")));
    server.verify(
        postRequestedFor(urlEqualTo(NIGHTLY + "/stop"))
            .withHeader("Idempotency-Key", matching(UUID_PATTERN)));
    server.verify(deleteRequestedFor(urlEqualTo(NIGHTLY)));
    assertThat(Deployments.isSettled(DeploymentStatus.DEPLOYING)).isFalse();
    assertThat(Deployments.isSettled(DeploymentStatus.UNKNOWN_DEFAULT_OPEN_API)).isFalse();
  }

  @Test
  void aDeploymentWithUnknownEnumValuesAndFieldsFromANewerServerStillReads() {
    server.stubFor(
        get(urlEqualTo(NIGHTLY))
            .willReturn(
                okJson(
                    """
                    {"deployment_id":"%s","name":"nightly","type":"streaming","status":"draining",
                     "domain":"crm","owner":"ana","model":{"model_name":"churn eu","model_version":"3"},
                     "created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05Z",
                     "last_run":{"run_id":"%s","airflow_run_id":"a","status":"throttled"},
                     "gpu_profile":{"kind":"a100"}}
                    """
                        .formatted(DEPLOYMENT_ID, UUID.randomUUID()))));

    DeploymentResponse d = client().deployments().get("churn eu", "nightly");

    assertThat(d.getType()).isEqualTo(DeploymentType.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(d.getStatus()).isEqualTo(DeploymentStatus.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(d.getLastRun().getStatus())
        .isEqualTo(io.modelplane.client.model.DeploymentRunStatus.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(d.getModel().getModelVersion()).isEqualTo("3");
  }

  @Test
  void issuesListsExtendsAndRevokesKeys() {
    UUID pskId = UUID.randomUUID();
    String psk =
        """
        {"psk_id":"%s","name":"ci","owner":"ana","roles":["crm-analysts"],
         "created_at":"2025-01-02T03:04:05Z","expires_at":"2025-04-02T03:04:05Z","is_deleted":false}
        """
            .formatted(pskId);
    server.stubFor(
        post(urlEqualTo("/api/psks"))
            .willReturn(
                Json.created(psk.replace("\"is_deleted\":false", "\"secret\":\"mp_s3cret\""))));
    server.stubFor(
        get(urlEqualTo("/api/psks?include_deleted=true"))
            .willReturn(okJson("{\"items\":[" + psk + "]}")));
    server.stubFor(post(urlEqualTo("/api/psks/" + pskId + "/extend")).willReturn(okJson(psk)));
    server.stubFor(
        delete(urlEqualTo("/api/psks/" + pskId)).willReturn(aResponse().withStatus(204)));
    Keys keys = client().keys();

    PskCreated created =
        keys.create(
            new PskCreate()
                .name("ci")
                .owner("ana")
                .roles(List.of("crm-analysts"))
                .validityDays(90));
    List<Psk> all = keys.list(true);
    Psk extended = keys.extend(pskId, 30);
    keys.delete(pskId);

    assertThat(created.getSecret()).isEqualTo("mp_s3cret");
    assertThat(all).extracting(Psk::getPskId).containsExactly(pskId);
    assertThat(extended.getExpiresAt()).isNotNull();
    server.verify(
        postRequestedFor(urlEqualTo("/api/psks"))
            .withHeader("Idempotency-Key", matching(UUID_PATTERN))
            .withRequestBody(
                equalToJson(
                    "{\"name\":\"ci\",\"owner\":\"ana\",\"roles\":[\"crm-analysts\"],\"validity_days\":90}")));
    server.verify(
        postRequestedFor(urlEqualTo("/api/psks/" + pskId + "/extend"))
            .withRequestBody(equalToJson("{\"validity_days\":30}")));
    server.verify(deleteRequestedFor(urlEqualTo("/api/psks/" + pskId)));
  }

  @Test
  void notImplementedIsAServerExceptionAndIsNotRetried() {
    server.stubFor(
        get(urlEqualTo(NIGHTLY))
            .willReturn(
                aResponse()
                    .withStatus(501)
                    .withHeader("Content-Type", "application/json")
                    .withBody(Json.error(501, "deployments are not implemented yet"))));

    assertThatThrownBy(() -> client().deployments().get("churn eu", "nightly"))
        .isExactlyInstanceOf(ServerException.class)
        .hasMessage("deployments are not implemented yet");
    server.verify(
        1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(NIGHTLY)));
  }

  @Test
  void pingIsRetriedAndReturnsTheServersVersion() {
    server.stubFor(
        get("/api/health/ping")
            .willReturn(
                okJson("{\"status\":\"ok\",\"version\":\"0.10.2\",\"build_number\":\"7\"}")));

    assertThat(client().ping().getVersion()).isEqualTo("0.10.2");
    assertThat(client().retryPolicy().maxAttempts()).isEqualTo(4);
    assertThat(client().waiter().initialDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void listPagesAskForTheDagSourceOnlyWhenTheFilterSaysSo() {
    server.stubFor(
        get(urlEqualTo(MODEL_PATH + "?page_size=10"))
            .willReturn(okJson("{\"items\":[" + deployment("active") + "]}")));
    server.stubFor(
        get(urlEqualTo(MODEL_PATH + "?page_size=10&include=rendered_dag"))
            .willReturn(okJson("{\"items\":[" + deployment("active") + "]}")));
    server.stubFor(
        get(urlEqualTo("/api/deployments?include=rendered_dag"))
            .willReturn(okJson("{\"items\":[]}")));
    server.stubFor(
        get(urlEqualTo("/api/automl/train/jobs?include=rendered_dag"))
            .willReturn(okJson("{\"items\":[]}")));
    Deployments deployments = client().deployments();

    assertThat(deployments.list("churn eu", new Deployments.Filter().pageSize(10), null).items())
        .hasSize(1);
    assertThat(
            deployments
                .list("churn eu", new Deployments.Filter().pageSize(10).withRenderedDag(true), null)
                .items())
        .hasSize(1);
    assertThat(
            deployments
                .listAcrossModels(new Deployments.Filter().withRenderedDag(true), null)
                .items())
        .isEmpty();
    assertThat(
            client()
                .trainingJobs()
                .list(new TrainingJobs.Filter().withRenderedDag(true), null)
                .items())
        .isEmpty();
    server.verify(
        1,
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
            urlEqualTo(MODEL_PATH + "?page_size=10")));
  }

  @Test
  void runsAcrossDeploymentsArePagedWithTheFilterOnEveryPage() {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    String query =
        "/api/runs?deployment=churn%20eu%2Fnightly&owner=ana&status=failed&status=queued"
            + "&sort_by=status&order=asc&page_size=1";
    server.stubFor(
        get(urlEqualTo(query))
            .willReturn(okJson("{\"items\":[" + run(first) + "],\"next_page_token\":\"p2\"}")));
    server.stubFor(
        get(urlEqualTo(query + "&page_token=p2"))
            .willReturn(okJson("{\"items\":[" + run(second) + "],\"next_page_token\":null}")));

    List<UUID> ids =
        client()
            .runs()
            .listAll(
                new Runs.Filter()
                    .deployment("churn eu", "nightly")
                    .owner("ana")
                    .status(DeploymentRunStatus.FAILED, DeploymentRunStatus.QUEUED)
                    .sort(RunSortField.STATUS, SortOrder.ASC)
                    .pageSize(1))
            .toList()
            .stream()
            .map(DeploymentRunSummary::getRunId)
            .toList();

    assertThat(ids).containsExactly(first, second);
  }

  private static String run(UUID id) {
    return "{\"run_id\":\""
        + id
        + "\",\"airflow_run_id\":\"modelplane__"
        + id
        + "\",\"status\":\"failed\",\"deployment_id\":\""
        + DEPLOYMENT_ID
        + "\",\"model_name\":\"churn eu\",\"deployment_name\":\"nightly\","
        + "\"target\":{\"schema\":\"crm\",\"table\":\"t\",\"catalog\":\"iceberg\"},"
        + "\"target_overridden\":false,\"settings\":{\"k\":1}}";
  }
}
