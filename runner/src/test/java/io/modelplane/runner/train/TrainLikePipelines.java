package io.modelplane.runner.train;

import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassifier;
import java.util.List;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Binary classifiers built as {@code runner train} builds them (its encoding stages, then the
 * model, joined into one PipelineModel), for the scorer's benchmark: the label is a 0/1 column.
 */
public final class TrainLikePipelines {

  private TrainLikePipelines() {}

  /** XGBoost4J-Spark's classifier on the padded dense features, {@code rounds} trees of depth 6. */
  public static PipelineModel xgboostClassifier(
      Dataset<Row> rows, List<String> numeric, String label, int rounds) {
    XGBoostClassifier xgboost = new XGBoostClassifier();
    xgboost.set("featuresCol", InternalColumns.DENSE_FEATURES);
    xgboost.set("labelCol", label);
    xgboost.setNumRound(rounds);
    xgboost.setMaxDepth(6);
    xgboost.setNumWorkers(1);
    return join(rows, numeric, xgboost);
  }

  /** SynapseML's LightGBM classifier on the assembled features, {@code iterations} iterations. */
  public static PipelineModel lightgbmClassifier(
      Dataset<Row> rows, List<String> numeric, String label, int iterations) {
    LightGBMClassifier lightgbm = new LightGBMClassifier();
    lightgbm.set("featuresCol", InternalColumns.FEATURES);
    lightgbm.set("labelCol", label);
    lightgbm.setNumIterations(iterations);
    lightgbm.setNumThreads(1);
    lightgbm.setVerbosity(-1);
    return join(rows, numeric, lightgbm);
  }

  private static PipelineModel join(Dataset<Row> rows, List<String> numeric, Estimator<?> model) {
    PipelineModel encoding =
        FeaturePipeline.build(new FeatureColumns(numeric, List.of(), List.of())).fit(rows);
    Model<?> fitted = model.fit(encoding.transform(rows).repartition(1));
    return new Pipeline().setStages(new PipelineStage[] {encoding, fitted}).fit(rows);
  }
}
