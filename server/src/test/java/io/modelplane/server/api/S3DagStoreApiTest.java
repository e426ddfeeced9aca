package io.modelplane.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.server.config.ServerConfig;
import io.modelplane.server.support.ApiClient;
import io.modelplane.server.support.ApiResponse;
import io.modelplane.server.support.S3Sdk;
import io.modelplane.server.support.SampleRequests;
import io.modelplane.server.support.TestDatabases;
import io.modelplane.server.support.TestServer;
import io.modelplane.testsupport.s3.S3TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The server with its DAG store on S3 (S3Proxy in the test JVM), driven over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3DagStoreApiTest {
  private static final String JOBS = "/api/automl/train/jobs";
  private static final String BUCKET = "modelplane-dags";
  private static final String PREFIX = "teams/crm";

  private S3TestServer s3;
  private S3Client sdk;
  private TestServer server;
  private ApiClient api;

  @BeforeAll
  void start() {
    s3 = S3TestServer.start();
    sdk = S3Sdk.client(s3);
    s3.createBucket(BUCKET);
    ServerConfig local = TestServer.config(TestDatabases.h2(), Optional.empty());
    ServerConfig onS3 =
        new ServerConfig(
            local.bindAddress(),
            local.port(),
            local.platformPsk(),
            local.dataDir(),
            S3Sdk.dagStore(s3, BUCKET, PREFIX),
            local.database(),
            local.airflow(),
            local.publicUrl(),
            local.templatesDir(),
            local.mlflow(),
            local.outbox(),
            local.oidc(),
            local.executor());
    server = TestServer.start(onS3);
    api = server.client();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    sdk.close();
    s3.close();
  }

  @Test
  void aNewTrainingJobPublishesItsRenderedDagToS3AndDeleteRemovesIt() {
    ApiResponse created = api.post(JOBS, jobRequest());
    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    String jobId = created.text("job_id");
    String key = PREFIX + "/modelplane-training-" + jobId + ".py";

    String stored = sdk.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asUtf8String();
    assertThat(stored).isEqualTo(created.text("rendered_dag"));
    HeadObjectResponse head = sdk.headObject(request -> request.bucket(BUCKET).key(key));
    assertThat(head.contentType()).isEqualTo("text/x-python");

    assertThat(api.delete(JOBS + "/" + jobId).status()).isEqualTo(204);
    assertThatThrownBy(() -> sdk.headObject(request -> request.bucket(BUCKET).key(key)))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void aDeploymentPublishesItsDagToS3AndFillsDagS3UriAndArchiveRemovesIt() {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", "nightly");
    request.put("model", Map.of("model_name", "churn", "model_version", "3"));
    request.put("source", Map.of("schema", "crm", "table", "customers"));
    request.put("target", Map.of("schema", "crm", "table", "predictions"));
    request.put("entity_columns", List.of("customer_id"));
    request.put("domain", "crm");
    request.put("owner", "ana");

    ApiResponse created = api.post("/api/models/churn/deployments", request);

    assertThat(created.status()).as(created.rawBody()).isEqualTo(201);
    String key = PREFIX + "/" + created.text("dag_id") + ".py";
    assertThat(created.text("dag_s3_uri")).isEqualTo("s3://" + BUCKET + "/" + key);
    assertThat(created.text("status")).isEqualTo("active"); // no orchestrator: stored only
    String stored = sdk.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
    assertThat(stored).isEqualTo(created.text("rendered_dag"));

    assertThat(api.delete("/api/models/churn/deployments/nightly").status()).isEqualTo(200);
    assertThatThrownBy(() -> sdk.headObject(r -> r.bucket(BUCKET).key(key)))
        .isInstanceOf(NoSuchKeyException.class);
  }

  private static Map<String, Object> jobRequest() {
    Map<String, Object> request = SampleRequests.trainingJobNamed("churn-on-s3");
    request.put("feature_columns", List.of("tenure", "plan"));
    request.put("trigger_now", false);
    return request;
  }
}
