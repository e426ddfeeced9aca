package io.modelplane.testsupport.s3;

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
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3-protocol server in the test JVM: S3Proxy with jclouds' in-memory store on a free port
 * of 127.0.0.1, checking AWS Signature V4 against one key pair. A test looks at what was stored
 * through the blob store directly ({@link #keys}, {@link #content}), independently of the code
 * under test. The consumer declares {@code org.gaul:s3proxy} itself (optional here).
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "modelplane-test-access-key";
  public static final String SECRET_KEY = "modelplane-test-secret-key-7d1f0c";
  public static final String REGION = "us-east-1";

  private final BlobStoreContext blobs;
  private final S3Proxy proxy;

  private S3TestServer(BlobStoreContext blobs, S3Proxy proxy) {
    this.blobs = blobs;
    this.proxy = proxy;
  }

  public static S3TestServer start() {
    // jclouds' in-memory store, named by its metadata rather than by the id "transient" so that
    // jclouds does not load every provider on the classpath; S3Proxy checks the signatures.
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
    return new S3TestServer(blobs, proxy);
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public int port() {
    return proxy.getPort();
  }

  public void createBucket(String bucket) {
    blobs.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** The server's settings for a DAG store at {@code s3://bucket/prefix} on this server. */
  public Map<String, String> dagStoreEnv(String bucket, String prefix) {
    return Map.of(
        "MODELPLANE_DAG_STORE",
        "s3://" + bucket + "/" + prefix,
        "MODELPLANE_S3_ENDPOINT",
        endpoint().toString(),
        "MODELPLANE_S3_REGION",
        REGION,
        "MODELPLANE_S3_ACCESS_KEY_ID",
        ACCESS_KEY,
        "MODELPLANE_S3_SECRET_ACCESS_KEY",
        SECRET_KEY);
  }

  /** The keys in the bucket, sorted. */
  public List<String> keys(String bucket) {
    return blobs.getBlobStore().list(bucket, ListContainerOptions.Builder.recursive()).stream()
        .map(StorageMetadata::getName)
        .sorted()
        .toList();
  }

  /** An object's content as UTF-8, or null when there is none. */
  public String content(String bucket, String key) {
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
  public String contentType(String bucket, String key) {
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
