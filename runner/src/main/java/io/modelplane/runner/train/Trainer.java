package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits the encoding stages on the training set, runs the preset's search for the algorithm, and
 * joins both into one {@link PipelineModel} whose validation metrics are measured on the raw
 * validation rows, exactly as {@code score} will feed them.
 *
 * <p>The search works on encoded rows cached once, holding only what the learners and evaluators
 * read (label, group, feature vectors) and spread over one partition per worker: a small table is
 * read as a single partition, which left every pass of a search on one core, made XGBoost shuffle
 * its input again for every fit (it wants exactly {@code numWorkers} partitions) and gave LightGBM
 * one task. Rows of one ranking group stay in one partition.
 */
final class Trainer {
  private static final List<String> SEARCH_COLUMNS =
      List.of(
          InternalColumns.LABEL,
          InternalColumns.GROUP,
          InternalColumns.FEATURES,
          InternalColumns.DENSE_FEATURES);

  private Trainer() {}

  static TrainedModel train(TrainingJob job, Algorithm algorithm, TrainingData data, int workers) {
    PipelineModel encoding = FeaturePipeline.build(data.features()).fit(data.train());
    Dataset<Row> train =
        forSearch(encoding.transform(data.train()), workers)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> validation =
        forSearch(encoding.transform(data.validation()), workers)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> scored = null;
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
      // Scored once for all the final metrics (two or three evaluators read it).
      scored = pipeline.transform(data.validation()).persist(StorageLevel.MEMORY_AND_DISK());
      return new TrainedModel(
          pipeline,
          outcome.params(),
          outcome.trials(),
          ValidationMetrics.selectionName(job.problemType()),
          ValidationMetrics.all(job.problemType(), scored, data.hasLabel()));
    } finally {
      train.unpersist();
      validation.unpersist();
      if (scored != null) {
        scored.unpersist();
      }
    }
  }

  /** The columns a search reads, one partition per worker (per group hash for ranking). */
  static Dataset<Row> forSearch(Dataset<Row> encoded, int workers) {
    List<String> present = Arrays.asList(encoded.columns());
    Dataset<Row> slim =
        encoded.select(
            SEARCH_COLUMNS.stream()
                .filter(present::contains)
                .map(c -> col(c))
                .toArray(Column[]::new));
    return present.contains(InternalColumns.GROUP)
        ? slim.repartition(workers, col(InternalColumns.GROUP))
        : slim.repartition(workers);
  }
}
