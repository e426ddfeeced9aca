package io.modelplane.server.integration.dagstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.server.config.DagStoreConfig;
import io.modelplane.server.support.S3Sdk;
import io.modelplane.testsupport.s3.S3TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link S3DagStore} against a real S3-protocol server (S3Proxy, see {@link S3TestServer}) at a
 * custom endpoint with path-style addressing and Signature V4; what was stored is read back through
 * the S3 API with a client of the test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3DagStoreTest {
  private static final String SOURCE =
      "# Modelplane DAG – ünïcödé ✓\nfrom airflow import DAG\n\nprint('x')\r\n";

  private S3TestServer s3;
  private S3Client sdk;
  private String bucket;
  private S3DagStore store;

  @BeforeAll
  void startS3() {
    s3 = S3TestServer.start();
    sdk = S3Sdk.client(s3);
  }

  @AfterAll
  void stopS3() {
    sdk.close();
    s3.close();
  }

  @BeforeEach
  void newBucket() {
    bucket = "dags-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(bucket);
    store = new S3DagStore(S3Sdk.dagStore(s3, bucket, "airflow/dags"));
  }

  @Test
  void putStoresTheExactBytesUnderThePrefixedKeyAsPython() {
    URI uri = store.put("modelplane-training-1", SOURCE);

    String key = "airflow/dags/modelplane-training-1.py";
    assertThat(uri).isEqualTo(URI.create("s3://" + bucket + "/" + key));
    assertThat(keys()).containsExactly(key);
    ResponseBytes<GetObjectResponse> object =
        sdk.getObjectAsBytes(request -> request.bucket(bucket).key(key));
    assertThat(object.asByteArray()).isEqualTo(SOURCE.getBytes(StandardCharsets.UTF_8));
    HeadObjectResponse head = sdk.headObject(request -> request.bucket(bucket).key(key));
    assertThat(head.contentType()).isEqualTo("text/x-python");
    assertThat(head.contentLength()).isEqualTo(SOURCE.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void anEmptyPrefixPutsTheDagAtTheTopOfTheBucket() {
    try (S3DagStore top = new S3DagStore(S3Sdk.dagStore(s3, bucket, ""))) {
      URI uri = top.put("dag-at-top", SOURCE);

      assertThat(uri).isEqualTo(URI.create("s3://" + bucket + "/dag-at-top.py"));
      assertThat(keys()).containsExactly("dag-at-top.py");
    }
  }

  @Test
  void putReplacesTheDag() {
    store.put("replaced", "first = 1\n");
    store.put("replaced", "second = 2\n");

    assertThat(keys()).containsExactly("airflow/dags/replaced.py");
    assertThat(read("airflow/dags/replaced.py")).isEqualTo("second = 2\n");
  }

  @Test
  void deleteRemovesTheDagAndIsIdempotent() {
    store.put("doomed", SOURCE);
    store.put("survivor", SOURCE);

    store.delete("doomed");

    assertThat(keys()).containsExactly("airflow/dags/survivor.py");
    assertThatThrownBy(
            () -> sdk.headObject(request -> request.bucket(bucket).key("airflow/dags/doomed.py")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThatCode(() -> store.delete("doomed")).doesNotThrowAnyException();
    assertThatCode(() -> store.delete("never-written")).doesNotThrowAnyException();
  }

  @Test
  void pathStyleAddressingIsWhatReachesTheCustomEndpoint() {
    // The same endpoint by name: with path style the bucket goes in the path and it works; with
    // virtual-hosted style the SDK asks for <bucket>.localhost, which this endpoint does not
    // serve, so the switch demonstrably reaches the SDK.
    URI byName = URI.create("http://localhost:" + s3.port());
    try (S3DagStore pathStyle = new S3DagStore(settings(byName, true, S3TestServer.SECRET_KEY));
        S3DagStore virtualHosted =
            new S3DagStore(settings(byName, false, S3TestServer.SECRET_KEY))) {
      assertThat(pathStyle.put("by-path", SOURCE))
          .isEqualTo(URI.create("s3://" + bucket + "/airflow/dags/by-path.py"));
      assertThat(read("airflow/dags/by-path.py")).isEqualTo(SOURCE);

      assertThatThrownBy(() -> virtualHosted.put("by-host", SOURCE))
          .isInstanceOf(DagStoreException.class)
          .hasMessageContaining("s3://" + bucket + "/airflow/dags/by-host.py")
          // <bucket>.localhost does not resolve, or reaches a server that takes "airflow" for
          // the bucket.
          .satisfies(
              e ->
                  assertThat(e.getMessage()).containsAnyOf("UnknownHostException", "NoSuchBucket"));
      assertThat(keys()).containsExactly("airflow/dags/by-path.py");
    }
  }

  @Test
  void aWrongSecretKeyGivesAClearErrorWithoutTheSecret() {
    String wrongSecret = "wrong-secret-0123456789-do-not-print";
    try (S3DagStore wrong = new S3DagStore(settings(s3.endpoint(), true, wrongSecret))) {
      for (Runnable call :
          List.<Runnable>of(() -> wrong.put("denied", SOURCE), () -> wrong.delete("denied"))) {
        assertThatThrownBy(call::run)
            .isInstanceOf(DagStoreException.class)
            .hasMessageContaining("s3://" + bucket + "/airflow/dags/denied.py")
            .hasMessageContaining("SignatureDoesNotMatch")
            .hasMessageContaining("HTTP 403")
            .satisfies(
                e -> {
                  assertThat(stackTrace(e)).doesNotContain(wrongSecret, S3TestServer.SECRET_KEY);
                  assertThat(e.getMessage()).doesNotContain(S3TestServer.ACCESS_KEY);
                });
      }
      assertThat(keys()).isEmpty();
    }
  }

  @Test
  void aMissingBucketIsNamedInTheError() {
    try (S3DagStore missing = new S3DagStore(S3Sdk.dagStore(s3, "no-such-bucket-here", "dags"))) {
      assertThatThrownBy(() -> missing.put("lost", SOURCE))
          .isInstanceOf(DagStoreException.class)
          .hasMessageContaining("s3://no-such-bucket-here/dags/lost.py")
          .hasMessageContaining("NoSuchBucket");
    }
  }

  @Test
  void anUnreachableEndpointIsAClearError() {
    try (S3DagStore down =
        new S3DagStore(settings(URI.create("http://127.0.0.1:1"), true, S3TestServer.SECRET_KEY))) {
      assertThatThrownBy(() -> down.put("offline", SOURCE))
          .isInstanceOf(DagStoreException.class)
          .hasMessageStartingWith(
              "cannot write the DAG s3://" + bucket + "/airflow/dags/offline.py: ");
    }
  }

  @Test
  void unsafeDagIdsAreRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> store.put("../escape", SOURCE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThat(keys()).isEmpty();
  }

  private DagStoreConfig.S3 settings(URI endpoint, boolean pathStyle, String secret) {
    return new DagStoreConfig.S3(
        bucket,
        "airflow/dags",
        Optional.of(endpoint),
        S3TestServer.REGION,
        pathStyle,
        Optional.of(S3TestServer.ACCESS_KEY),
        Optional.of(secret));
  }

  private List<String> keys() {
    return sdk.listObjectsV2(request -> request.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  private String read(String key) {
    return sdk.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asUtf8String();
  }

  private static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
