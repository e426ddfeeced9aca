package io.modelplane.runner.score.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * Checks that reading a saved pipeline directly ({@link SavedPipeline}, no Spark) gives the scorer
 * exactly what {@code PipelineModel.load} gives it: the same booster bytes, the same encoding, the
 * same description. Used by the tests that train pipelines ({@code AlgorithmsLearnTest}).
 */
public final class SavedPipelines {

  private SavedPipelines() {}

  /**
   * Saves the pipeline, reads it back both ways and asserts they agree; answers the directly read
   * model (empty when the pipeline is not one the direct reader takes, which is then asserted to be
   * one the loaded pipeline does not predict in batches from the source columns either).
   */
  public static Optional<SparkPipelineScoringModel> readDirectlyAsLoaded(
      SparkSession spark, PipelineModel pipeline) {
    String location = SharedSpark.newFolder("saved-pipeline-").resolve("sparkml").toString();
    try {
      pipeline.write().overwrite().save(location);
      PipelineModel loaded = PipelineModel.load(location);
      SparkPipelineScoringModel bySpark =
          SparkPipelineScoringModel.loaded(loaded, List.of(), location);
      Optional<SparkPipelineScoringModel> direct =
          SparkPipelineScoringModel.readDirectly(
              SavedPipeline.read(location, spark.sparkContext().hadoopConfiguration()),
              List.of(),
              location,
              () -> loaded);
      if (direct.isEmpty()) {
        assertThat(bySpark.encoding()).isEmpty();
        return direct;
      }
      SparkPipelineScoringModel read = direct.get();
      assertThat(read.scoring()).isEqualTo(bySpark.scoring());
      assertThat(read.boosterModel()).isPresent();
      assertThat(read.boosterModel().get()).isEqualTo(bySpark.boosterModel().get());
      assertThat(read.encoding()).isPresent();
      assertThat(read.encoding().get().sameAs(bySpark.encoding().get()))
          .as("same encoding entries")
          .isTrue();
      return direct;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
