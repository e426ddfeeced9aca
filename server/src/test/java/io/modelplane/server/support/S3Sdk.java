package io.modelplane.server.support;

import io.modelplane.server.config.DagStoreConfig;
import io.modelplane.testsupport.s3.S3TestServer;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the server's tests add to the shared {@link S3TestServer}: the test's own SDK client
 * (path-style, the server's keys), built independently of the code under test, and the DAG store
 * settings that point at the server.
 */
public final class S3Sdk {
  private S3Sdk() {}

  /** An SDK client of the test's own; close it after the test. */
  public static S3Client client(S3TestServer s3) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(s3.endpoint())
        .forcePathStyle(true)
        .region(Region.of(S3TestServer.REGION))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
        .build();
  }

  /** The DAG store settings for the server: custom endpoint, path style, static keys. */
  public static DagStoreConfig.S3 dagStore(S3TestServer s3, String bucket, String prefix) {
    return new DagStoreConfig.S3(
        bucket,
        prefix,
        Optional.of(s3.endpoint()),
        S3TestServer.REGION,
        true,
        Optional.of(S3TestServer.ACCESS_KEY),
        Optional.of(S3TestServer.SECRET_KEY));
  }
}
