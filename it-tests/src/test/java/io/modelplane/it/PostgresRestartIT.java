package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.ModelplaneException;
import io.modelplane.client.RetryPolicy;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.TrainingJobEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under a running server. The server runs on a PostgreSQL of the test's own
 * ({@link PrivatePostgres}: the machine's PostgreSQL binaries, a cluster in a temporary directory),
 * so stopping it disturbs no other test and no other build on the machine.
 */
class PostgresRestartIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The "no hang" guard: a request that takes longer fails as a network error (status 0). */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);

  @Test
  void requestsDuringAPostgresOutageFailFastWith503AndTheServerRecoversWithoutARestart()
      throws Exception {
    try (PrivatePostgres postgres = PrivatePostgres.start();
        ServerUnderTest server =
            ServerUnderTest.start(
                "pg-restart",
                PostgresDatabase.create(postgres.adminUrl(), "postgres", ""),
                Map.of())) {
      ModelplaneClient client =
          server
              .clientBuilder()
              .retryPolicy(RetryPolicy.none())
              .requestTimeout(CLIENT_TIMEOUT)
              .build();
      UUID jobId = client.trainingJobs().create(Fixtures.job("outage", false)).getJobId();
      client
          .trainingJobs()
          .updateStatus(
              jobId, new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.RUNNING));
      long pid = server.server().pid();

      Map<String, Long> answeredInMillis = new LinkedHashMap<>();
      postgres.stop();
      try {
        System.out.println("[modelplane-it] pg-restart: PostgreSQL stopped");
        Map<String, Consumer<ModelplaneClient>> calls = new LinkedHashMap<>();
        calls.put("GET job", c -> c.trainingJobs().get(jobId));
        calls.put("GET jobs", c -> c.trainingJobs().list(null, null));
        calls.put("POST job", c -> c.trainingJobs().create(Fixtures.job("during", false)));
        calls.put(
            "PUT status",
            c ->
                c.trainingJobs()
                    .updateStatus(
                        jobId,
                        new AutoMLTrainingStatusUpdate().status(AutoMLTrainingJobStatus.COMPLETE)));
        calls.put("GET events", c -> c.trainingJobs().events(jobId));
        calls.put("GET job again", c -> c.trainingJobs().get(jobId));
        for (Map.Entry<String, Consumer<ModelplaneClient>> call : calls.entrySet()) {
          long started = System.nanoTime();
          assertThatThrownBy(() -> call.getValue().accept(client))
              .as(call.getKey())
              .isInstanceOf(ModelplaneException.class)
              .satisfies(e -> assertThat(((ModelplaneException) e).getStatus()).isEqualTo(503));
          answeredInMillis.put(call.getKey(), (System.nanoTime() - started) / 1_000_000);
        }
        long started = System.nanoTime();
        HttpResponse<String> ready = get(server, "/api/health/ready");
        answeredInMillis.put("GET ready", (System.nanoTime() - started) / 1_000_000);
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode checks = JSON.readTree(ready.body()).path("checks");
        assertThat(checks.path("database").asText()).isNotEqualTo("ok");
        assertThat(get(server, "/api/health/ping").statusCode()).isEqualTo(200); // alive
      } finally {
        postgres.startAgain();
        System.out.println(
            "[modelplane-it] pg-restart: PostgreSQL started again; answers during the outage (ms): "
                + answeredInMillis);
      }

      long restarted = System.nanoTime();
      Await.until(
          "the server to answer 200 again",
          Duration.ofSeconds(60),
          () -> client.trainingJobs().get(jobId).getStatus() == AutoMLTrainingJobStatus.RUNNING);
      System.out.println(
          "[modelplane-it] pg-restart: the server answered 200 again "
              + (System.nanoTime() - restarted) / 1_000_000
              + " ms after PostgreSQL was back");

      assertThat(server.server().isAlive()).isTrue();
      assertThat(server.server().pid()).isEqualTo(pid);
      assertThat(get(server, "/api/health/ready").statusCode()).isEqualTo(200);
      client
          .trainingJobs()
          .updateStatus(
              jobId,
              new AutoMLTrainingStatusUpdate()
                  .status(AutoMLTrainingJobStatus.COMPLETE)
                  .mlflowRunId("after-restart"));
      assertThat(client.trainingJobs().events(jobId))
          .extracting(TrainingJobEvent::getToStatus)
          .containsExactly(
              AutoMLTrainingJobStatus.READY,
              AutoMLTrainingJobStatus.RUNNING,
              AutoMLTrainingJobStatus.COMPLETE);
      assertThat(client.trainingJobs().create(Fixtures.job("after", false)).getStatus())
          .isEqualTo(AutoMLTrainingJobStatus.READY);
      assertThat(server.proxy().count(500)).as("500s").isZero();
      assertThat(server.proxy().count(503)).as("503s").isGreaterThanOrEqualTo(7);
      server.assertContractKept();
      assertThat(postgres.majorVersion()).isNotBlank();
    }
  }

  private static HttpResponse<String> get(ServerUnderTest server, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(CLIENT_TIMEOUT)
            .GET()
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }
}
