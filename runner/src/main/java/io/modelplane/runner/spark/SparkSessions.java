package io.modelplane.runner.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds the Spark session from {@link RunnerSettings}: the Iceberg SQL
 * extensions, the catalog, S3 and the master. Under {@code spark-submit} the master and the
 * cluster's own settings win; locally (no master given) it is {@code local[*]}.
 */
public final class SparkSessions {

  private static final String ICEBERG_EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  private SparkSessions() {}

  /**
   * The JVM's session, created on first use, with the settings' catalog registered. A catalog is
   * registered under its name the first time it is seen and kept for the session's life.
   */
  public static SparkSession open(RunnerSettings settings) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("modelplane-runner")
            .config("spark.sql.extensions", ICEBERG_EXTENSIONS)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false");
    String master = settings.sparkMaster().orElse(System.getProperty("spark.master", "local[*]"));
    builder.master(master);
    if (master.startsWith("local")) {
      builder
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4");
    }
    SparkSession session = builder.getOrCreate();
    catalogConfig(settings).forEach((key, value) -> session.conf().set(key, value));
    return session;
  }

  /** The {@code spark.sql.catalog.<name>.*} entries of the settings' Iceberg catalog. */
  static Map<String, String> catalogConfig(RunnerSettings settings) {
    String prefix = "spark.sql.catalog." + settings.catalogName();
    Map<String, String> config = new LinkedHashMap<>();
    config.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    config.put(prefix + ".warehouse", settings.warehouseLocation());
    switch (settings.catalogType()) {
      case HADOOP -> config.put(prefix + ".type", "hadoop");
      case JDBC -> {
        config.put(prefix + ".catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        config.put(prefix + ".uri", settings.catalogUri().orElseThrow());
        config.put(prefix + ".jdbc.schema-version", "V1");
        settings.jdbcUser().ifPresent(user -> config.put(prefix + ".jdbc.user", user));
        settings.jdbcPassword().ifPresent(pw -> config.put(prefix + ".jdbc.password", pw));
      }
      case REST -> {
        config.put(prefix + ".type", "rest");
        config.put(prefix + ".uri", settings.catalogUri().orElseThrow());
      }
      case HIVE -> {
        config.put(prefix + ".type", "hive");
        config.put(prefix + ".uri", settings.catalogUri().orElseThrow());
      }
    }
    if (RunnerSettings.isS3(settings.warehouse())) {
      RunnerSettings.S3Settings s3 = settings.s3();
      config.put(prefix + ".io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
      config.put(prefix + ".client.region", s3.region());
      config.put(prefix + ".s3.path-style-access", String.valueOf(s3.pathStyle()));
      s3.endpoint().ifPresent(endpoint -> config.put(prefix + ".s3.endpoint", endpoint));
      s3.accessKeyId().ifPresent(key -> config.put(prefix + ".s3.access-key-id", key));
      s3.secretAccessKey().ifPresent(key -> config.put(prefix + ".s3.secret-access-key", key));
    }
    return config;
  }
}
