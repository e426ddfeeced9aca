package io.modelplane.runner.score;

import static io.modelplane.runner.score.ScoringFixture.deploymentJson;
import static io.modelplane.runner.score.ScoringFixture.score;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
import io.modelplane.testsupport.s3.S3TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scorer on an Iceberg JDBC catalog kept in the real PostgreSQL (a database of this test run's
 * own): the catalog's table pointers move in PostgreSQL, one commit per run; once with the
 * warehouse on an S3-protocol server (S3Proxy) through Iceberg's S3FileIO.
 */
class JdbcCatalogScoringTest {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String DATABASE = "scoring_" + UUID.randomUUID().toString().replace("-", "");

  private static MlflowStandIn mlflow;

  @BeforeAll
  static void createDatabase() throws SQLException {
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + DATABASE);
    }
    mlflow = MlflowStandIn.start();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    mlflow.close();
    try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }
  }

  @Test
  void overwritePartitionOnAJdbcCatalogInPostgres() throws SQLException {
    RunnerSettings settings =
        ScoringFixture.withMlflow(
            SharedSpark.fromEnvironment(
                "test_jdbc",
                Map.of(
                    "MODELPLANE_ICEBERG_CATALOG_TYPE",
                    "jdbc",
                    "MODELPLANE_ICEBERG_URI",
                    "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                    "MODELPLANE_ICEBERG_JDBC_USER",
                    "postgres",
                    "MODELPLANE_ICEBERG_WAREHOUSE",
                    SharedSpark.newFolder("jdbc-warehouse-").toString())),
            mlflow);
    SparkSession spark = SharedSpark.session(settings);
    String catalog = settings.catalogName();
    String version =
        ScoringFixture.registerSparkModel(mlflow, "churn", ScoringFixture.fitPipeline(spark));
    ScoringFixture.appendSource(settings, "crm.customers", 1, 300);
    String deployment =
        deploymentJson(
            "churn",
            version,
            catalog + ".crm.customers",
            "region = 'US'",
            catalog + ".scores.churn",
            "overwrite_partition");

    for (String[] run :
        new String[][] {
          {"scheduled__1", ScoreCommandTest.DAY_1},
          {"scheduled__1", ScoreCommandTest.DAY_1},
          {"scheduled__2", ScoreCommandTest.DAY_2}
        }) {
      Outcome outcome = score(settings, deployment, run[0], run[1], "", null);
      assertThat(outcome.exitCode()).as(outcome.err()).isZero();
      assertThat(outcome.out()).startsWith("scored 150 rows of ");
    }

    assertThat(
            spark
                .sql(
                    "SELECT airflow_run_id, count(*) FROM "
                        + catalog
                        + ".scores.churn GROUP BY 1 ORDER BY 1")
                .collectAsList()
                .stream()
                .map(row -> row.getString(0) + "=" + row.getLong(1))
                .toList())
        .containsExactly("scheduled__1=150", "scheduled__2=150");
    // The catalog's pointer to the target lives in PostgreSQL: 1 create + 2 overwrites later.
    try (Connection db =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
        Statement statement = db.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "SELECT table_namespace, table_name, metadata_location FROM iceberg_tables"
                    + " ORDER BY table_name")) {
      assertThat(tables.next()).isTrue();
      assertThat(tables.getString(2)).isEqualTo("churn");
      assertThat(tables.getString(3)).contains("/scores/churn/metadata/");
      assertThat(tables.next()).isTrue();
      assertThat(tables.getString(2)).isEqualTo("customers");
    }
    assertThat(
            spark
                .sql("SELECT count(*) FROM " + catalog + ".scores.churn.snapshots")
                .first()
                .getLong(0))
        .isEqualTo(3);
  }

  @Test
  void appendDedupWithTheWarehouseOnAnS3ProtocolServer() {
    try (S3TestServer s3 = S3TestServer.start()) {
      s3.createBucket("lake");
      RunnerSettings settings =
          ScoringFixture.withMlflow(
              SharedSpark.fromEnvironment(
                  "test_s3",
                  Map.of(
                      "MODELPLANE_ICEBERG_CATALOG_TYPE",
                      "jdbc",
                      "MODELPLANE_ICEBERG_URI",
                      "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                      "MODELPLANE_ICEBERG_JDBC_USER",
                      "postgres",
                      "MODELPLANE_ICEBERG_WAREHOUSE",
                      "s3://lake/warehouse",
                      "MODELPLANE_S3_ENDPOINT",
                      s3.endpoint().toString(),
                      "MODELPLANE_S3_ACCESS_KEY_ID",
                      S3TestServer.ACCESS_KEY,
                      "MODELPLANE_S3_SECRET_ACCESS_KEY",
                      S3TestServer.SECRET_KEY)),
              mlflow);
      SparkSession spark = SharedSpark.session(settings);
      String catalog = settings.catalogName();
      String version =
          ScoringFixture.registerSparkModel(mlflow, "churn-s3", ScoringFixture.fitPipeline(spark));
      ScoringFixture.appendSource(settings, "crm.customers", 1, 200);
      String deployment =
          deploymentJson(
              "churn-s3",
              version,
              catalog + ".crm.customers",
              null,
              catalog + ".scores.churn",
              "append_dedup");

      for (String run : new String[] {"manual__1", "manual__1", "manual__2"}) {
        Outcome outcome = score(settings, deployment, run, ScoreCommandTest.DAY_1, "", null);
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
      }

      assertThat(
              spark
                  .sql(
                      "SELECT airflow_run_id, count(*), count(DISTINCT customer_id) FROM "
                          + catalog
                          + ".scores.churn GROUP BY 1")
                  .collectAsList()
                  .stream()
                  .map(row -> row.getString(0) + "=" + row.getLong(1) + "/" + row.getLong(2))
                  .toList())
          .containsExactly("manual__2=200/200");
      assertThat(s3.keys("lake"))
          .anyMatch(key -> key.startsWith("warehouse/scores/churn/data/"))
          .anyMatch(key -> key.startsWith("warehouse/crm/customers/metadata/"));
    }
  }
}
