package io.modelplane.runner.score.model;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A model in MLflow's {@code spark} flavor, as {@code runner train} logs it: a PipelineModel. */
final class SparkPipelineScoringModel implements ScoringModel {

  private final PipelineModel pipeline;
  private final List<String> featureColumns;
  private final String location;

  SparkPipelineScoringModel(PipelineModel pipeline, List<String> featureColumns, String location) {
    this.pipeline = pipeline;
    this.featureColumns = List.copyOf(featureColumns);
    this.location = location;
  }

  @Override
  public List<String> featureColumns() {
    return featureColumns;
  }

  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    return PredictionColumns.normalize(pipeline.transform(rows), Arrays.asList(rows.columns()));
  }

  @Override
  public String describe() {
    return "spark flavor, PipelineModel with "
        + pipeline.stages().length
        + " stages read from "
        + location;
  }
}
