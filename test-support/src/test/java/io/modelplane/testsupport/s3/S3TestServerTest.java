package io.modelplane.testsupport.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class S3TestServerTest {

  @Test
  void anUnsignedWriteIsRefusedAndBucketsStartEmpty() throws Exception {
    try (S3TestServer s3 = S3TestServer.start()) {
      s3.createBucket("dags");
      assertThat(s3.keys("dags")).isEmpty();
      assertThat(s3.content("dags", "absent.py")).isNull();
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(s3.endpoint() + "/dags/x.py"))
                      .PUT(HttpRequest.BodyPublishers.ofString("x"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(403);
      assertThat(s3.keys("dags")).isEmpty();
      assertThat(s3.dagStoreEnv("dags", "airflow"))
          .containsEntry("MODELPLANE_DAG_STORE", "s3://dags/airflow")
          .containsEntry("MODELPLANE_S3_ENDPOINT", s3.endpoint().toString());
    }
  }
}
