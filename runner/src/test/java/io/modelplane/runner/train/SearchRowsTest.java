package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import io.modelplane.runner.spark.RunnerSettings;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rows a search works on: read from a table Spark reads as one partition, they are spread over
 * one partition per worker, keep only what learners and evaluators read, and a ranking group never
 * straddles two partitions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchRowsTest {

  private final RunnerSettings settings = SharedSpark.hadoopCatalog();
  private final SparkSession spark = SharedSpark.session(settings);
  private final KnownAnswerTables tables = new KnownAnswerTables(settings);

  @BeforeAll
  void tables() {
    tables.binary("rows.binary", 400);
    tables.ranking("rows.ranking", 40);
  }

  @Test
  void oneSmallTableIsSpreadOverEveryWorkerWithOnlyTheColumnsASearchReads() {
    TrainingData data = load("rows.binary", "binary_classification", "y", null);
    try {
      assertThat(data.train().rdd().getNumPartitions()).isEqualTo(1);
      Dataset<Row> rows = Trainer.forSearch(encoded(data), 3);

      assertThat(rows.rdd().getNumPartitions()).isEqualTo(3);
      assertThat(rows.columns())
          .containsExactly(
              InternalColumns.LABEL, InternalColumns.FEATURES, InternalColumns.DENSE_FEATURES);
      assertThat(rows.count()).isEqualTo(data.trainRows());
      assertThat(rows.select(spark_partition_id()).distinct().count()).isEqualTo(3);
    } finally {
      data.release();
    }
  }

  @Test
  void aRankingGroupStaysInOnePartition() {
    TrainingData data = load("rows.ranking", "ranking", "relevance", "query");
    try {
      Dataset<Row> rows = Trainer.forSearch(encoded(data), 2);

      assertThat(rows.columns()).contains(InternalColumns.GROUP);
      long straddling =
          rows.withColumn("partition", spark_partition_id())
              .groupBy(col(InternalColumns.GROUP))
              .agg(countDistinct(col("partition")).as("partitions"))
              .filter(col("partitions").gt(1))
              .count();
      assertThat(straddling).isZero();
      assertThat(rows.select(spark_partition_id()).distinct().count()).isEqualTo(2);
    } finally {
      data.release();
    }
  }

  private Dataset<Row> encoded(TrainingData data) {
    PipelineModel encoding = FeaturePipeline.build(data.features()).fit(data.train());
    return encoding.transform(data.train());
  }

  private TrainingData load(String table, String problem, String label, String group) {
    String algorithm = problem.equals("ranking") ? "xgboost_ranker" : "xgboost_classifier";
    return TrainingData.load(
        new IcebergTables(spark),
        TableName.parse(table, settings.catalogName()),
        TrainingJobs.json(table, problem, algorithm, "fast", label, group));
  }
}
