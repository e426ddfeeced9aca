package io.modelplane.runner.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.runner.RunnerException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {

  @Test
  void defaultsAreAHadoopCatalogNamedIcebergUnderTheDataFolder() {
    RunnerSettings settings = RunnerSettings.fromEnvironment(Map.of());

    assertThat(settings.catalogName()).isEqualTo("iceberg");
    assertThat(settings.catalogType()).isEqualTo(RunnerSettings.CatalogType.HADOOP);
    assertThat(settings.warehouseLocation())
        .startsWith("file:/")
        .endsWith("/modelplane-data/warehouse");
    assertThat(SparkSessions.catalogConfig(settings))
        .containsEntry("spark.sql.catalog.iceberg", "org.apache.iceberg.spark.SparkCatalog")
        .containsEntry("spark.sql.catalog.iceberg.type", "hadoop");
  }

  @Test
  void jdbcCatalogOnS3CarriesTheStoreSettingsAndHidesSecrets() {
    RunnerSettings settings =
        RunnerSettings.fromEnvironment(
            Map.of(
                "MODELPLANE_ICEBERG_CATALOG_TYPE", "JDBC",
                "MODELPLANE_ICEBERG_URI", "jdbc:postgresql://db/iceberg?password=hunter2",
                "MODELPLANE_ICEBERG_WAREHOUSE", "s3://lake/warehouse",
                "MODELPLANE_S3_ENDPOINT", "http://127.0.0.1:9000",
                "MODELPLANE_S3_ACCESS_KEY_ID", "AKIA",
                "MODELPLANE_S3_SECRET_ACCESS_KEY", "s3cr3t"));

    assertThat(SparkSessions.catalogConfig(settings))
        .containsEntry(
            "spark.sql.catalog.iceberg.catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .containsEntry("spark.sql.catalog.iceberg.io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
        .containsEntry("spark.sql.catalog.iceberg.s3.endpoint", "http://127.0.0.1:9000")
        .containsEntry("spark.sql.catalog.iceberg.s3.path-style-access", "true")
        .containsEntry("spark.sql.catalog.iceberg.warehouse", "s3://lake/warehouse");
    assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("s3cr3t");
  }

  @Test
  void wrongValuesNameTheVariable() {
    assertThatThrownBy(
            () -> RunnerSettings.fromEnvironment(Map.of("MODELPLANE_ICEBERG_CATALOG_TYPE", "glue")))
        .isInstanceOf(RunnerException.class)
        .hasMessage(
            "MODELPLANE_ICEBERG_CATALOG_TYPE must be hadoop, jdbc, rest or hive, not 'glue'");
    assertThatThrownBy(
            () -> RunnerSettings.fromEnvironment(Map.of("MODELPLANE_ICEBERG_CATALOG_TYPE", "jdbc")))
        .hasMessage("MODELPLANE_ICEBERG_URI is required with MODELPLANE_ICEBERG_CATALOG_TYPE=jdbc");
    assertThatThrownBy(
            () ->
                RunnerSettings.fromEnvironment(Map.of("MODELPLANE_ICEBERG_WAREHOUSE", "s3://b/w")))
        .hasMessageStartingWith(
            "MODELPLANE_ICEBERG_WAREHOUSE=s3://b/w needs MODELPLANE_ICEBERG_CATALOG_TYPE=jdbc");
  }
}
