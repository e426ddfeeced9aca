package io.modelplane.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;

/**
 * A real S3-protocol server in the test JVM for the server process's DAG store: S3Proxy with its
 * in-memory store on a free port of 127.0.0.1, checking AWS Signature V4 against one key pair (as
 * in the server module's own S3 tests). The test reads what was stored through the blob store
 * directly, independently of the code under test.
 */
final class S3ProtocolServer implements AutoCloseable {

  static final String ACCESS_KEY = "modelplane-it-access-key";
  static final String SECRET_KEY = "modelplane-it-secret-key-5e2a9b";

  private final BlobStoreContext blobs;
  private final S3Proxy proxy;

  private S3ProtocolServer(BlobStoreContext blobs, S3Proxy proxy) {
    this.blobs = blobs;
    this.proxy = proxy;
  }

  static S3ProtocolServer start() {
    BlobStoreContext blobs =
        ContextBuilder.newBuilder(new TransientApiMetadata())
            .credentials("unused", "unused")
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      proxy.start();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!"STARTED".equals(proxy.getState())) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      blobs.close();
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
    return new S3ProtocolServer(blobs, proxy);
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  void createBucket(String bucket) {
    blobs.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** The server's settings for a DAG store at {@code s3://bucket/prefix} on this server. */
  Map<String, String> dagStoreEnv(String bucket, String prefix) {
    return Map.of(
        "MODELPLANE_DAG_STORE",
        "s3://" + bucket + "/" + prefix,
        "MODELPLANE_S3_ENDPOINT",
        endpoint(),
        "MODELPLANE_S3_REGION",
        "us-east-1",
        "MODELPLANE_S3_ACCESS_KEY_ID",
        ACCESS_KEY,
        "MODELPLANE_S3_SECRET_ACCESS_KEY",
        SECRET_KEY);
  }

  /** The keys in the bucket. */
  List<String> keys(String bucket) {
    BlobStore store = blobs.getBlobStore();
    return store
        .list(bucket, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
        .stream()
        .map(StorageMetadata::getName)
        .sorted()
        .toList();
  }

  /** An object's content, or null when there is none. */
  String content(String bucket, String key) {
    Blob blob = blobs.getBlobStore().getBlob(bucket, key);
    if (blob == null) {
      return null;
    }
    try (InputStream in = blob.getPayload().openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An object's content type, or null when there is none. */
  String contentType(String bucket, String key) {
    Blob blob = blobs.getBlobStore().getBlob(bucket, key);
    return blob == null ? null : blob.getMetadata().getContentMetadata().getContentType();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    } finally {
      blobs.close();
    }
  }
}
