package io.modelplane.runner.train;

import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;

/**
 * The outcome of training: the whole pipeline (encoding stages and the model), the chosen
 * parameters, every trial and the validation metrics of the pipeline.
 */
record TrainedModel(
    PipelineModel pipeline,
    Map<String, String> params,
    List<Trial> trials,
    String selectionMetric,
    Map<String, Double> validationMetrics) {}
