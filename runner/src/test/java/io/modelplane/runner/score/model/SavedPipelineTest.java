package io.modelplane.runner.score.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.train.TrainLikePipelines;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A saved pipeline read without Spark ({@link SavedPipeline}) gives the scorer what {@code
 * PipelineModel.load} gives (train's every algorithm and problem type: AlgorithmsLearnTest); here
 * the benchmark's pipelines and one that is not train's.
 */
class SavedPipelineTest {

  private final SparkSession spark = SharedSpark.session(SharedSpark.hadoopCatalog());

  private Dataset<Row> rows() {
    return spark
        .range(1, 401)
        .selectExpr(
            "CAST((id % 97) / 10.0 AS DOUBLE) AS f1",
            "CASE WHEN id % 5 = 0 THEN NULL ELSE CAST(((id * 7) % 31) / 3.0 AS DOUBLE) END AS f2",
            "CASE WHEN (id % 97) / 10.0 + ((id * 7) % 31) / 6.0 > 7.5 THEN 1 ELSE 0 END AS label");
  }

  @Test
  void trainsXgboostPipelineIsReadAsSparkLoadsIt() {
    PipelineModel pipeline =
        TrainLikePipelines.xgboostClassifier(rows(), List.of("f1", "f2"), "label", 5);
    Optional<SparkPipelineScoringModel> read = SavedPipelines.readDirectlyAsLoaded(spark, pipeline);
    assertThat(read).isPresent();
    assertThat(read.get().scoring())
        .isEqualTo("batch XGBoost (binary:logistic) over the source columns");
  }

  @Test
  void trainsLightgbmPipelineIsReadAsSparkLoadsIt() {
    PipelineModel pipeline =
        TrainLikePipelines.lightgbmClassifier(rows(), List.of("f1", "f2"), "label", 5);
    Optional<SparkPipelineScoringModel> read = SavedPipelines.readDirectlyAsLoaded(spark, pipeline);
    assertThat(read).isPresent();
    assertThat(read.get().scoring())
        .isEqualTo("batch LightGBM (classifier) over the source columns");
  }

  /** Not train's pipeline: left to PipelineModel.load (and Spark's transform). */
  @Test
  void anyOtherPipelineIsNotReadDirectly() {
    PipelineModel pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler()
                      .setInputCols(new String[] {"f1"})
                      .setOutputCol("fv")
                      .setHandleInvalid("keep"),
                  new LogisticRegression().setFeaturesCol("fv").setMaxIter(3)
                })
            .fit(rows());
    assertThat(SavedPipelines.readDirectlyAsLoaded(spark, pipeline)).isEmpty();
  }
}
