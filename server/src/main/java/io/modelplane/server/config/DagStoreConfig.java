package io.modelplane.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Where rendered DAG files go ({@code MODELPLANE_DAG_STORE}): a local folder or S3. */
public sealed interface DagStoreConfig {

  /** A folder on the local disk or a mounted volume that Airflow reads. */
  record Local(Path directory) implements DagStoreConfig {}

  /**
   * An S3 bucket, or any S3-compatible store when {@code endpoint} is set. Objects are written to
   * {@code <prefix>/<dag id>.py}; {@code prefix} has no leading or trailing slash and may be empty.
   * Without an access key the SDK's default credentials chain is used.
   */
  record S3(
      String bucket,
      String prefix,
      Optional<URI> endpoint,
      String region,
      boolean pathStyle,
      Optional<String> accessKeyId,
      Optional<String> secretAccessKey)
      implements DagStoreConfig {

    public S3 {
      if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
        throw new IllegalArgumentException("an access key id needs its secret key and vice versa");
      }
    }

    /** {@code s3://bucket/prefix} (no trailing slash). */
    public URI location() {
      return URI.create("s3://" + bucket + "/" + prefix);
    }

    @Override
    public String toString() {
      // Never print credentials, not even the access key id.
      return "S3["
          + location()
          + ", endpoint="
          + endpoint.map(URI::toString).orElse("AWS")
          + ", region="
          + region
          + ", pathStyle="
          + pathStyle
          + ", credentials="
          + (accessKeyId.isPresent() ? "static keys" : "default chain")
          + "]";
    }
  }
}
