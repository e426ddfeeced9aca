package io.modelplane.server.support;

import io.modelplane.server.config.DagStoreConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-protocol server in the test JVM: S3Proxy with its in-memory store, on a free port of
 * 127.0.0.1, checking AWS Signature V4 against one access key pair. {@link #client()} is the test's
 * own SDK client, built independently of the code under test, to look at what was stored.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "modelplane-test-access-key";
  public static final String SECRET_KEY = "modelplane-test-secret-key-7d1f0c";
  public static final String REGION = "us-east-1";

  private final BlobStoreContext blobs;
  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client client;

  private S3TestServer(BlobStoreContext blobs, S3Proxy proxy, URI endpoint) {
    this.blobs = blobs;
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.client =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.of(REGION))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
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
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
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
    return new S3TestServer(blobs, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  /** An SDK client of the test's own, path-style, with the right keys. */
  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    client.createBucket(request -> request.bucket(bucket));
  }

  /** The DAG store settings for this server: custom endpoint, path style, static keys. */
  public DagStoreConfig.S3 dagStore(String bucket, String prefix) {
    return new DagStoreConfig.S3(
        bucket,
        prefix,
        Optional.of(endpoint),
        REGION,
        true,
        Optional.of(ACCESS_KEY),
        Optional.of(SECRET_KEY));
  }

  @Override
  public void close() {
    client.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    } finally {
      blobs.close();
    }
  }
}
