package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentStatus;
import io.modelplane.client.model.DeploymentUpdate;
import io.modelplane.testsupport.s3.S3TestServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DAG store on a real S3-protocol server (S3Proxy in the test JVM, signature V4): the server
 * process stores, rewrites and removes the DAG files of training jobs and deployments as objects
 * {@code <prefix>/<dag_id>.py}, which is where Airflow's DAG processor would read them.
 */
class S3DagStoreIT {

  private static final String BUCKET = "airflow-dags";
  private static final String PREFIX = "modelplane/dags";

  @Test
  void dagFilesAreWrittenRewrittenAndRemovedAsObjectsInTheBucket() {
    try (S3TestServer s3 = S3TestServer.start()) {
      s3.createBucket(BUCKET);
      Map<String, String> env = new LinkedHashMap<>(s3.dagStoreEnv(BUCKET, PREFIX));
      try (ServerUnderTest server = ServerUnderTest.onPostgres("s3-dag-store", env)) {
        ModelplaneClient client = server.client();

        AutoMLTrainingJobResponse job = client.trainingJobs().create(Fixtures.job("s3", false));
        String jobKey = PREFIX + "/" + job.getAirflowDagId() + ".py";
        assertThat(s3.content(BUCKET, jobKey)).isEqualTo(job.getRenderedDag());
        assertThat(s3.contentType(BUCKET, jobKey)).startsWith("text/x-python");

        String model = Fixtures.unique("churn");
        String name = Fixtures.unique("s3");
        DeploymentResponse deployment =
            client.deployments().create(model, Fixtures.deployment(name, model, "1"));
        String deploymentKey = PREFIX + "/" + deployment.getDagId() + ".py";
        assertThat(deployment.getStatus()).isEqualTo(DeploymentStatus.ACTIVE);
        assertThat(deployment.getDagS3Uri()).isEqualTo("s3://" + BUCKET + "/" + deploymentKey);
        assertThat(s3.content(BUCKET, deploymentKey)).isEqualTo(deployment.getRenderedDag());
        assertThat(s3.keys(BUCKET)).containsExactlyInAnyOrder(jobKey, deploymentKey);

        DeploymentResponse updated =
            client
                .deployments()
                .update(model, name, new DeploymentUpdate().schedule("15 2 * * *"), null);
        assertThat(s3.content(BUCKET, deploymentKey))
            .isEqualTo(updated.getRenderedDag())
            .contains("15 2 * * *");

        client.deployments().archive(model, name);
        client.trainingJobs().delete(job.getJobId());
        assertThat(s3.keys(BUCKET)).isEmpty();
        server.assertContractKept();
      }
    }
  }
}
