package io.modelplane.runner.score;

import static io.modelplane.runner.score.ScoringFixture.deploymentJson;
import static io.modelplane.runner.score.ScoringFixture.score;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import io.modelplane.testsupport.mlflow.MlflowStandIn;
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
 * own): the catalog's table pointers move in PostgreSQL, one commit per run. (The warehouse on an
 * S3-protocol server is proven with the built jar in it-tests' ScoringChainIT: S3Proxy's Jetty 12
 * needs the jakarta.* servlet, annotation and JAXB APIs whose artifacts share their coordinates
 * with the javax.* ones Spark needs, so it cannot join Spark's test class path.)
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
                    + " WHERE catalog_name = '"
                    + catalog
                    + "' ORDER BY table_name")) {
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
}
