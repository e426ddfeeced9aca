package io.modelplane.runner.spark;

import io.modelplane.runner.RunnerException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's configuration, read from {@code MODELPLANE_*} environment variables (the README's
 * table lists them). Secrets are kept here and only handed to Spark's catalog configuration and the
 * MLflow client; {@link #toString()} never shows them.
 *
 * @param catalogName the Spark catalog that holds the Iceberg tables ({@code iceberg})
 * @param catalogType how the catalog finds its tables
 * @param warehouse a local path or an {@code s3://} URI
 * @param catalogUri the JDBC URL, REST URI or Hive metastore thrift URI
 * @param sparkMaster Spark's master; empty when {@code spark-submit} already decided it
 */
public record RunnerSettings(
    String catalogName,
    CatalogType catalogType,
    String warehouse,
    Optional<String> catalogUri,
    Optional<String> jdbcUser,
    Optional<String> jdbcPassword,
    Optional<String> sparkMaster,
    S3Settings s3,
    MlflowSettings mlflow) {

  /** Where the catalog keeps its table list. */
  public enum CatalogType {
    HADOOP,
    JDBC,
    REST,
    HIVE;

    static CatalogType parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        throw new RunnerException(
            "MODELPLANE_ICEBERG_CATALOG_TYPE must be hadoop, jdbc, rest or hive, not '"
                + value
                + "'");
      }
    }
  }

  /** The S3 (or S3-compatible store) settings the server uses too. */
  public record S3Settings(
      Optional<String> endpoint,
      String region,
      boolean pathStyle,
      Optional<String> accessKeyId,
      Optional<String> secretAccessKey) {

    @Override
    public String toString() {
      return "S3Settings[endpoint="
          + endpoint.orElse("(AWS)")
          + ", region="
          + region
          + ", pathStyle="
          + pathStyle
          + ", staticKeys="
          + accessKeyId.isPresent()
          + "]";
    }
  }

  /** Where MLflow is and how to authenticate: a bearer token or HTTP Basic. */
  public record MlflowSettings(
      Optional<String> url,
      Optional<String> token,
      Optional<String> username,
      Optional<String> password) {

    @Override
    public String toString() {
      return "MlflowSettings[url=" + url.orElse("(unset)") + "]";
    }
  }

  public static final String DEFAULT_WAREHOUSE = "./modelplane-data/warehouse";

  public RunnerSettings {
    if (catalogType == CatalogType.HADOOP && isS3(warehouse)) {
      throw new RunnerException(
          "MODELPLANE_ICEBERG_WAREHOUSE="
              + warehouse
              + " needs MODELPLANE_ICEBERG_CATALOG_TYPE=jdbc, rest or hive: the hadoop catalog"
              + " lists tables through a Hadoop file system, which this jar has for local paths"
              + " only");
    }
    if (catalogType != CatalogType.HADOOP && catalogUri.isEmpty()) {
      throw new RunnerException(
          "MODELPLANE_ICEBERG_URI is required with MODELPLANE_ICEBERG_CATALOG_TYPE="
              + catalogType.name().toLowerCase(Locale.ROOT));
    }
    if (s3.accessKeyId().isPresent() != s3.secretAccessKey().isPresent()) {
      throw new RunnerException(
          "set both MODELPLANE_S3_ACCESS_KEY_ID and MODELPLANE_S3_SECRET_ACCESS_KEY, or neither");
    }
  }

  /** Reads the settings from environment variables. */
  public static RunnerSettings fromEnvironment(Map<String, String> env) {
    Optional<String> endpoint = value(env, "MODELPLANE_S3_ENDPOINT");
    S3Settings s3 =
        new S3Settings(
            endpoint,
            value(env, "MODELPLANE_S3_REGION").orElse("us-east-1"),
            value(env, "MODELPLANE_S3_PATH_STYLE")
                .map(RunnerSettings::parseBoolean)
                .orElse(endpoint.isPresent()),
            value(env, "MODELPLANE_S3_ACCESS_KEY_ID"),
            value(env, "MODELPLANE_S3_SECRET_ACCESS_KEY"));
    MlflowSettings mlflow =
        new MlflowSettings(
            value(env, "MODELPLANE_MLFLOW_URL"),
            value(env, "MODELPLANE_MLFLOW_TOKEN"),
            value(env, "MODELPLANE_MLFLOW_USERNAME"),
            value(env, "MODELPLANE_MLFLOW_PASSWORD"));
    return new RunnerSettings(
        value(env, "MODELPLANE_ICEBERG_CATALOG").orElse("iceberg"),
        value(env, "MODELPLANE_ICEBERG_CATALOG_TYPE")
            .map(CatalogType::parse)
            .orElse(CatalogType.HADOOP),
        value(env, "MODELPLANE_ICEBERG_WAREHOUSE").orElse(DEFAULT_WAREHOUSE),
        value(env, "MODELPLANE_ICEBERG_URI"),
        value(env, "MODELPLANE_ICEBERG_JDBC_USER"),
        value(env, "MODELPLANE_ICEBERG_JDBC_PASSWORD"),
        value(env, "MODELPLANE_SPARK_MASTER"),
        s3,
        mlflow);
  }

  /** The warehouse as a URI Iceberg understands: {@code s3://…} as is, a path made absolute. */
  public String warehouseLocation() {
    if (isS3(warehouse) || warehouse.contains("://")) {
      return warehouse;
    }
    String path = warehouse.startsWith("file:") ? URI.create(warehouse).getPath() : warehouse;
    return Path.of(path).toAbsolutePath().normalize().toUri().toString();
  }

  /** This settings object with another catalog name (tests keep several catalogs apart). */
  public RunnerSettings withCatalogName(String name) {
    return new RunnerSettings(
        name, catalogType, warehouse, catalogUri, jdbcUser, jdbcPassword, sparkMaster, s3, mlflow);
  }

  static boolean isS3(String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    return lower.startsWith("s3://") || lower.startsWith("s3a://");
  }

  private static boolean parseBoolean(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new RunnerException("MODELPLANE_S3_PATH_STYLE must be true or false");
    };
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  @Override
  public String toString() {
    return "RunnerSettings[catalog="
        + catalogName
        + ", type="
        + catalogType
        + ", warehouse="
        + warehouse
        + ", uri="
        + catalogUri.map(RunnerSettings::withoutCredentials).orElse("(unset)")
        + ", master="
        + sparkMaster.orElse("(spark-submit)")
        + ", "
        + s3
        + ", "
        + mlflow
        + "]";
  }

  private static String withoutCredentials(String uri) {
    return uri.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=***").replaceAll("//[^/@]*@", "//***@");
  }
}
