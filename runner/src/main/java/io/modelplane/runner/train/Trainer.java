package io.modelplane.runner.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits the encoding stages on the training set, runs the preset's search for the algorithm, and
 * joins both into one {@link PipelineModel} whose validation metrics are measured on the raw
 * validation rows, exactly as {@code score} will feed them.
 */
final class Trainer {

  private Trainer() {}

  static TrainedModel train(TrainingJob job, Algorithm algorithm, TrainingData data, int workers) {
    PipelineModel encoding = FeaturePipeline.build(data.features()).fit(data.train());
    Dataset<Row> train = encoding.transform(data.train()).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> validation =
        encoding.transform(data.validation()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Learner learner = Learner.forJob(algorithm, job.problemType(), data, workers);
      ParameterSearch.Outcome outcome =
          ParameterSearch.run(learner, job.preset(), job.problemType(), train, validation);
      List<PipelineStage> stages = new ArrayList<>();
      stages.add(encoding);
      stages.add(outcome.model());
      stages.addAll(learner.outputStages());
      // Only transformers: fit() assembles them into a PipelineModel without fitting anything.
      PipelineModel pipeline =
          new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(data.train());
      Dataset<Row> scored = pipeline.transform(data.validation());
      return new TrainedModel(
          pipeline,
          outcome.params(),
          outcome.trials(),
          ValidationMetrics.selectionName(job.problemType()),
          ValidationMetrics.all(job.problemType(), scored, data.hasLabel()));
    } finally {
      train.unpersist();
      validation.unpersist();
    }
  }
}
