package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.client.ConflictException;
import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.NotFoundException;
import io.modelplane.client.model.AutoMLTrainingJobCreate;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.AutoMLTrainingJobStatus;
import io.modelplane.client.model.AutoMLTrainingStatusUpdate;
import io.modelplane.client.model.ProblemType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A training job's life on the server jar backed by PostgreSQL: created through client-sdk, then
 * moved along by the dag-helper jar exactly as the rendered DAG's task would do it.
 */
class TrainingLifecyclePostgresIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ServerUnderTest server;
  private static String psk;
  private static PostgresDatabase database;
  private static ModelplaneClient client;
  private static DagHelperCli dagHelper;

  @BeforeAll
  static void startServerOnItsOwnPostgresDatabase() {
    server = ServerUnderTest.onPostgres("training-postgres", Map.of());
    psk = server.psk();
    database = server.database();
    client = server.client();
    dagHelper = server.dagHelper();
  }

  @AfterEach
  void everyExchangeKeptTheContract() {
    server.assertContractKept();
  }

  @AfterAll
  static void stopServerAndDropDatabase() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void jobCreatedWithoutTriggerIsReadyWithARenderedDag() {
    AutoMLTrainingJobResponse job = createJob("ready-job");

    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.READY);
    assertThat(job.getRenderedDag()).isNotBlank();
    assertThat(getJob(job.getJobId()).getStatus()).isEqualTo(AutoMLTrainingJobStatus.READY);
  }

  @Test
  void dagHelperTrainingStatusMovesAReadyJobToRunning() {
    UUID jobId = createJob("status-job").getJobId();

    DagHelperCli.Result result =
        dagHelper.run("training-status", "--job-id", jobId.toString(), "--status", "running");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(getJob(jobId).getStatus()).isEqualTo(AutoMLTrainingJobStatus.RUNNING);
  }

  @Test
  void dagHelperWrapReportsCompleteWithTheMlflowRunIdTheCommandWroteToTheResultFile()
      throws Exception {
    UUID jobId = createJob("wrap-ok-job").getJobId();

    DagHelperCli.Result result =
        dagHelper.run(
            "wrap",
            "--training-job",
            jobId.toString(),
            "--",
            "sh",
            "-c",
            "echo '{\"mlflow_run_id\":\"run-42\"}' > \"$MODELPLANE_RESULT_FILE\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    AutoMLTrainingJobResponse job = getJob(jobId);
    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
    assertThat(job.getMlflowRunId()).isEqualTo("run-42");
    // The server really keeps its state in this PostgreSQL database.
    try (Connection db = database.connect();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT status, mlflow_run_id FROM training_jobs WHERE job_id = ?")) {
      query.setObject(1, jobId);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("status")).isEqualTo("complete");
        assertThat(row.getString("mlflow_run_id")).isEqualTo("run-42");
      }
    }
  }

  @Test
  void dagHelperWrapPassesOnTheExitCodeAndReportsFailedWithTheCommandsStderr() {
    UUID jobId = createJob("wrap-fail-job").getJobId();

    DagHelperCli.Result result =
        dagHelper.run(
            "wrap", "--training-job", jobId.toString(), "--", "sh", "-c", "echo boom >&2; exit 3");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    AutoMLTrainingJobResponse job = getJob(jobId);
    assertThat(job.getStatus()).isEqualTo(AutoMLTrainingJobStatus.FAILED);
    assertThat(job.getErrorMessage()).contains("boom");
  }

  @Test
  void dagHelperWrapDoesNotHandThePskToTheWrappedCommand() {
    UUID jobId = createJob("wrap-env-job").getJobId();

    DagHelperCli.Result result =
        dagHelper.run(
            "wrap",
            "--training-job",
            jobId.toString(),
            "--",
            "sh",
            "-c",
            "if [ -n \"$MODELPLANE_PSK\" ]; then echo psk-visible >&2; exit 9; fi");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout() + result.stderr()).doesNotContain(psk);
    assertThat(getJob(jobId).getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
  }

  @Test
  void getOfAnUnknownJobThrowsNotFoundException() {
    UUID unknown = UUID.randomUUID();

    assertThatThrownBy(() -> getJob(unknown))
        .isInstanceOf(NotFoundException.class)
        .satisfies(e -> assertThat(((NotFoundException) e).getStatus()).isEqualTo(404));
  }

  @Test
  void writebackFromCompleteBackToRunningThrowsConflictException() {
    UUID jobId = createJob("conflict-job").getJobId();
    writeback(jobId, AutoMLTrainingJobStatus.RUNNING);
    assertThat(writeback(jobId, AutoMLTrainingJobStatus.COMPLETE).getStatus())
        .isEqualTo(AutoMLTrainingJobStatus.COMPLETE);

    assertThatThrownBy(() -> writeback(jobId, AutoMLTrainingJobStatus.RUNNING))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).getStatus()).isEqualTo(409));
    assertThat(getJob(jobId).getStatus()).isEqualTo(AutoMLTrainingJobStatus.COMPLETE);
  }

  @Test
  void unknownProblemTypeSentRawIsRejectedWith422AtBodyProblemType() throws Exception {
    // The typed client cannot send an invalid enum value: this is what any other client can send.
    String body =
        """
        {"name": "bad-enum", "domain": "it", "owner": "it", "source_table": "s.t",
         "problem_type": "astrology", "label_column": "y", "trigger_now": false}
        """;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/automl/train/jobs"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization-PSK", psk)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();

    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode detail = JSON.readTree(response.body()).path("detail");
    assertThat(detail.isArray()).as(response.body()).isTrue();
    List<Object> loc =
        JSON.convertValue(detail.path(0).path("loc"), new TypeReference<List<Object>>() {});
    assertThat(loc).containsExactly("body", "problem_type");
  }

  private static AutoMLTrainingJobResponse createJob(String name) {
    AutoMLTrainingJobCreate request =
        new AutoMLTrainingJobCreate()
            .name(name + "-" + UUID.randomUUID().toString().substring(0, 8))
            .domain("it")
            .owner("it-tests")
            .sourceTable("analytics.customers")
            .problemType(ProblemType.BINARY_CLASSIFICATION)
            .labelColumn("churned")
            .triggerNow(false);
    return client.trainingJobs().create(request);
  }

  private static AutoMLTrainingJobResponse getJob(UUID jobId) {
    return client.trainingJobs().get(jobId);
  }

  private static AutoMLTrainingJobResponse writeback(UUID jobId, AutoMLTrainingJobStatus status) {
    AutoMLTrainingStatusUpdate update = new AutoMLTrainingStatusUpdate().status(status);
    return client.trainingJobs().updateStatus(jobId, update);
  }
}
