package io.modelplane.runner.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.SharedSpark.Outcome;
import io.modelplane.runner.spark.RunnerSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqlCommandTest {
  private final RunnerSettings settings = SharedSpark.hadoopCatalog();
  private SparkSession spark;

  @BeforeEach
  void orders() {
    spark = SharedSpark.session(settings);
    String catalog = settings.catalogName();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + catalog + ".sales");
    spark.sql(
        "CREATE TABLE "
            + catalog
            + ".sales.orders (order_id BIGINT, region STRING, amount DOUBLE) USING iceberg");
    spark.sql(
        "INSERT INTO "
            + catalog
            + ".sales.orders SELECT id, CASE WHEN id % 2 = 0 THEN 'EU' ELSE 'US' END,"
            + " CAST(id AS DOUBLE) FROM range(1, 1001)");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + catalog + ".hr");
    spark.sql("CREATE TABLE " + catalog + ".hr.salaries (name STRING) USING iceberg");
  }

  @Test
  void theSelectsResultIsWrittenIntoANewDestinationAndReplacesItOnTheNextRun() throws Exception {
    String select =
        "SELECT region, COUNT(*) AS orders, SUM(amount) AS total FROM sales.orders"
            + " GROUP BY region";

    Outcome first = run(select);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .startsWith("wrote 2 rows into " + settings.catalogName() + ".reports.totals (snapshot ");
    assertThat(totals())
        .containsExactlyInAnyOrder(List.of("EU", 500L, 250500.0), List.of("US", 500L, 250000.0));

    spark.sql("DELETE FROM " + settings.catalogName() + ".sales.orders WHERE region = 'US'");
    Outcome second = run(select);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(totals()).containsExactly(List.of("EU", 500L, 250500.0));
    assertThat(
            spark
                .sql("SELECT * FROM " + settings.catalogName() + ".reports.totals.snapshots")
                .count())
        .isEqualTo(2);
  }

  @Test
  void aStatementThatIsNotOneSelectIsRefusedBeforeAnythingRuns() throws Exception {
    Outcome insert = run("INSERT INTO sales.orders VALUES (1, 'EU', 1.0)");
    assertThat(insert.exitCode()).isEqualTo(1);
    assertThat(insert.err()).contains("must be one SELECT");
    Outcome drop = run("DROP TABLE sales.orders");
    assertThat(drop.exitCode()).isEqualTo(1);
    assertThat(spark.table(settings.catalogName() + ".sales.orders").count()).isEqualTo(1000);
    Outcome two = run("SELECT 1; SELECT 2");
    assertThat(two.exitCode()).isEqualTo(1);
    assertThat(two.err()).contains("does not parse");
  }

  @Test
  void aSelectThatReadsAnotherTableFilesOrCallsJavaIsRefused() throws Exception {
    Outcome other =
        run("SELECT o.region FROM sales.orders o JOIN hr.salaries s ON s.name = o.region");
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.err()).contains("may read only", "hr.salaries");
    Outcome reflect =
        run("SELECT reflect('java.lang.System', 'getProperty', 'user.home') FROM sales.orders");
    assertThat(reflect.exitCode()).isEqualTo(1);
    assertThat(reflect.err()).containsIgnoringCase("reflect");
    Outcome files = run("SELECT * FROM parquet.`/tmp`");
    assertThat(files.exitCode()).isEqualTo(1);
    Outcome transform = run("SELECT TRANSFORM(region) USING 'cat' AS (r) FROM sales.orders");
    assertThat(transform.exitCode()).isEqualTo(1);
    assertThat(spark.catalog().tableExists(settings.catalogName() + ".reports.totals")).isFalse();
  }

  private Outcome run(String select) throws Exception {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("job_id", "00000000-0000-0000-0000-000000000001");
    job.put("source", "sales.orders");
    job.put("destination", "reports.totals");
    job.put("sql", select);
    return SharedSpark.run(
        settings, "sql", "--job-json", new ObjectMapper().writeValueAsString(job));
  }

  private List<List<Object>> totals() {
    return spark
        .sql(
            "SELECT region, orders, total FROM "
                + settings.catalogName()
                + ".reports.totals ORDER BY region")
        .collectAsList()
        .stream()
        .map((Row row) -> List.<Object>of(row.getString(0), row.getLong(1), row.getDouble(2)))
        .toList();
  }
}
