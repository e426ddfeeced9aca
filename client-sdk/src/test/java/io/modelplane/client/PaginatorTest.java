package io.modelplane.client;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunStatus;
import io.modelplane.client.model.DeploymentRunSummary;
import io.modelplane.client.model.DeploymentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PaginatorTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String JOBS = "/api/automl/train/jobs";

  private static final List<UUID> IDS =
      IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID()).toList();

  private ModelplaneClient client() {
    return ModelplaneClient.builder()
        .baseUrl(server.baseUrl())
        .psk("test-psk")
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  private static String jobs(List<UUID> ids, String next) {
    return "{\"items\":["
        + ids.stream().map(id -> Json.trainingJob(id, "ready")).collect(Collectors.joining(","))
        + "],\"next_page_token\":"
        + (next == null ? "null" : "\"" + next + "\"")
        + "}";
  }

  /** Three pages of 2, 2 and 1 jobs, for domain=crm and page_size=2. */
  private static void stubThreePages() {
    server.stubFor(
        get(urlPathEqualTo(JOBS))
            .withQueryParam("domain", equalTo("crm"))
            .withQueryParam("page_size", equalTo("2"))
            .withQueryParam("page_token", absent())
            .willReturn(okJson(jobs(IDS.subList(0, 2), "t1"))));
    server.stubFor(
        get(urlPathEqualTo(JOBS))
            .withQueryParam("page_token", equalTo("t1"))
            .willReturn(okJson(jobs(IDS.subList(2, 4), "t/2+"))));
    server.stubFor(
        get(urlPathEqualTo(JOBS))
            .withQueryParam("page_token", equalTo("t/2+"))
            .willReturn(okJson(jobs(IDS.subList(4, 5), null))));
  }

  @Test
  void iteratesOverEveryItemOfEveryPageWithTheFilterOnEachRequest() {
    stubThreePages();
    ModelplaneClient client = client();

    List<UUID> seen = new ArrayList<>();
    for (AutoMLTrainingJobResponse job :
        client.trainingJobs().listAll(new TrainingJobs.Filter().domain("crm").pageSize(2))) {
      seen.add(job.getJobId());
    }

    assertThat(seen).containsExactlyElementsOf(IDS);
    server.verify(
        3,
        getRequestedFor(urlPathEqualTo(JOBS))
            .withQueryParam("domain", equalTo("crm"))
            .withQueryParam("page_size", equalTo("2")));
  }

  @Test
  void streamsLazilyAndStartsAgainForEachPass() {
    stubThreePages();
    Paginator<AutoMLTrainingJobResponse> all =
        client().trainingJobs().listAll(new TrainingJobs.Filter().domain("crm").pageSize(2));
    server.verify(0, getRequestedFor(urlPathEqualTo(JOBS)));

    assertThat(all.stream().limit(3).map(AutoMLTrainingJobResponse::getJobId))
        .containsExactlyElementsOf(IDS.subList(0, 3));
    server.verify(2, getRequestedFor(urlPathEqualTo(JOBS)));

    assertThat(all.toList()).hasSize(5);
    assertThat(all.pageStream().map(p -> p.items().size())).containsExactly(2, 2, 1);
    List<Page<AutoMLTrainingJobResponse>> pages = new ArrayList<>();
    all.pages().forEach(pages::add);
    assertThat(pages).extracting(Page::hasNext).containsExactly(true, true, false);
    assertThat(pages.get(0).nextPageToken()).contains("t1");
  }

  @Test
  void aSinglePageCanBeFetchedByToken() {
    stubThreePages();

    Page<AutoMLTrainingJobResponse> page =
        client().trainingJobs().list(new TrainingJobs.Filter().status(null), "t1");

    assertThat(page.items())
        .extracting(AutoMLTrainingJobResponse::getJobId)
        .isEqualTo(IDS.subList(2, 4));
    assertThat(page.nextPageToken()).contains("t/2+");
  }

  @Test
  void anEmptyListIsOneEmptyPage() {
    server.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson("{\"items\":[]}")));

    Paginator<AutoMLTrainingJobResponse> all = client().trainingJobs().listAll(null);

    assertThat(all).isEmpty();
    assertThat(all.pageStream()).hasSize(1);
  }

  @Test
  void aServerRepeatingAPageTokenStopsThePaginationInsteadOfLoopingForEver() {
    server.stubFor(
        get(urlPathEqualTo(JOBS)).willReturn(okJson(jobs(IDS.subList(0, 1), "same-token"))));

    assertThatThrownBy(() -> client().trainingJobs().listAll(null).toList())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("same-token");
  }

  @Test
  void paginatesDeploymentsAndRunsWithTheirFilters() {
    UUID dep = UUID.randomUUID();
    server.stubFor(
        get(urlPathEqualTo("/api/deployments"))
            .withQueryParam("status", equalTo("active"))
            .withQueryParam("page_token", absent())
            .willReturn(
                okJson(
                    "{\"items\":["
                        + Json.deployment(dep, "nightly", "active")
                        + "],\"next_page_token\":\"d2\"}")));
    server.stubFor(
        get(urlPathEqualTo("/api/deployments"))
            .withQueryParam("page_token", equalTo("d2"))
            .willReturn(
                okJson(
                    "{\"items\":[" + Json.deployment(dep, "hourly", "some_future_status") + "]}")));
    UUID run1 = UUID.randomUUID();
    UUID run2 = UUID.randomUUID();
    server.stubFor(
        get(urlPathEqualTo("/api/models/churn/deployments/nightly/runs"))
            .withQueryParam("status", equalTo("failed"))
            .withQueryParam("page_token", absent())
            .willReturn(
                okJson(
                    "{\"items\":[" + Json.run(run1, "failed") + "],\"next_page_token\":\"r2\"}")));
    server.stubFor(
        get(urlPathEqualTo("/api/models/churn/deployments/nightly/runs"))
            .withQueryParam("page_token", equalTo("r2"))
            .willReturn(okJson("{\"items\":[" + Json.run(run2, "paused") + "]}")));
    ModelplaneClient client = client();

    List<DeploymentResponse> deployments =
        client
            .deployments()
            .listAllAcrossModels(new Deployments.Filter().status(DeploymentStatus.ACTIVE))
            .toList();
    List<DeploymentRunSummary> runs =
        client
            .deploymentRuns()
            .listAll(
                "churn", "nightly", new DeploymentRuns.Filter().status(DeploymentRunStatus.FAILED))
            .toList();

    assertThat(deployments)
        .extracting(DeploymentResponse::getStatus)
        .containsExactly(DeploymentStatus.ACTIVE, DeploymentStatus.UNKNOWN_DEFAULT_OPEN_API);
    assertThat(runs)
        .extracting(DeploymentRunSummary::getStatus)
        .containsExactly(DeploymentRunStatus.FAILED, DeploymentRunStatus.UNKNOWN_DEFAULT_OPEN_API);
  }

  @Test
  void pagesAreFetchedThroughTheFetcherOnlyWhenNeeded() {
    AtomicInteger fetches = new AtomicInteger();
    Paginator<Integer> numbers =
        new Paginator<>(
            token -> {
              int page = token == null ? 0 : Integer.parseInt(token);
              fetches.incrementAndGet();
              return new Page<>(
                  List.of(page * 10, page * 10 + 1), page < 3 ? Integer.toString(page + 1) : null);
            });

    assertThat(numbers.iterator().next()).isZero();
    assertThat(fetches).hasValue(1);
    assertThat(numbers.stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(0 + 1 + 10 + 11 + 20 + 21 + 30 + 31);
    assertThat(new Page<>(null, " ").hasNext()).isFalse();
    assertThat(AutoMLTrainingJobStatus.fromValue("something_new"))
        .isEqualTo(AutoMLTrainingJobStatus.UNKNOWN_DEFAULT_OPEN_API);
  }
}
