package io.modelplane.server.integration.dagstore;

import io.modelplane.server.config.DagStoreConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * DAG files as objects {@code <prefix>/<dag id>.py} in an S3 bucket, or in any S3-compatible store
 * (MinIO, Ceph, …) at a custom endpoint, usually with path-style addressing. Airflow gets them from
 * there (e.g. a sync sidecar or a git-sync-like job). A PUT replaces an object atomically, so a
 * reader never sees half a DAG.
 */
public final class S3DagStore implements DagStore {
  static final String CONTENT_TYPE = "text/x-python";
  private static final Pattern SAFE_DAG_ID = Pattern.compile("[A-Za-z0-9_.-]{1,250}");

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3DagStore(DagStoreConfig.S3 config) {
    this.s3 = client(config);
    this.bucket = config.bucket();
    this.prefix = config.prefix();
  }

  /** The SDK client for {@code config}: JDK HTTP, the configured addressing and credentials. */
  static S3Client client(DagStoreConfig.S3 config) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(30)))
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)))
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyle())
            .credentialsProvider(credentials(config));
    config
        .endpoint()
        .ifPresent(
            endpoint ->
                // S3-compatible stores vary in their support of the newer flexible checksums
                // (trailing CRC32 in aws-chunked bodies): send them only where an operation
                // requires them, as before SDK 2.30. AWS itself keeps the SDK's defaults.
                builder
                    .endpointOverride(endpoint)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(DagStoreConfig.S3 config) {
    if (config.accessKeyId().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              config.accessKeyId().get(), config.secretAccessKey().orElseThrow()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public URI put(String dagId, String source) {
    String key = keyOf(dagId);
    byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
    try {
      s3.putObject(
          request ->
              request
                  .bucket(bucket)
                  .key(key)
                  .contentType(CONTENT_TYPE)
                  // Every S3-compatible store checks it: a DAG damaged in transit is refused.
                  .contentMD5(md5(bytes)),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("cannot write the DAG", key, e);
    }
    return URI.create("s3://" + bucket + "/" + key);
  }

  @Override
  public void delete(String dagId) {
    String key = keyOf(dagId);
    try {
      // S3 answers 204 for a key that is not there; some compatible stores answer NoSuchKey.
      s3.deleteObject(request -> request.bucket(bucket).key(key));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && "NoSuchKey".equals(errorCode(e))) {
        return;
      }
      throw failure("cannot delete the DAG", key, e);
    } catch (SdkException e) {
      throw failure("cannot delete the DAG", key, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /** The object key of {@code dagId}: {@code <prefix>/<dagId>.py}, or {@code <dagId>.py}. */
  String keyOf(String dagId) {
    if (!SAFE_DAG_ID.matcher(dagId).matches()) {
      throw new IllegalArgumentException("unsafe DAG id");
    }
    return prefix.isEmpty() ? dagId + ".py" : prefix + "/" + dagId + ".py";
  }

  /**
   * Names the object and the store's answer. The SDK's own message is left out on purpose: it may
   * quote the server's text (e.g. the string to sign), which has no place in an API error. No S3
   * response ever carries the secret key, which is never sent.
   */
  private DagStoreException failure(String what, String key, SdkException e) {
    String where = what + " s3://" + bucket + "/" + key;
    if (e instanceof S3Exception s3e) {
      return new DagStoreException(
          where
              + ": S3 error "
              + (errorCode(s3e) != null ? errorCode(s3e) : "(no code)")
              + " (HTTP "
              + s3e.statusCode()
              + (s3e.requestId() != null ? ", request id " + s3e.requestId() : "")
              + ")",
          e);
    }
    return new DagStoreException(
        where + ": " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
  }

  private static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
