package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassificationModel;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMRankerModel;
import com.microsoft.azure.synapse.ml.lightgbm.LightGBMRegressionModel;
import com.microsoft.azure.synapse.ml.lightgbm.params.LightGBMModelParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRankerModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A model in MLflow's {@code spark} flavor, as {@code runner train} logs it: a PipelineModel. When
 * its last stage is an XGBoost4J-Spark or SynapseML LightGBM model, the booster predicts in batches
 * ({@link BatchPredictions}) instead of through the library's transform: over the source columns
 * directly when the stages before it are {@code train}'s encoding ({@link EncodedFeatures}), else
 * over the feature vector those stages write. Any other pipeline is run by Spark as it is.
 */
public final class SparkPipelineScoringModel implements ScoringModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PipelineModel pipeline;
  private final List<String> featureColumns;
  private final String location;
  private final Optional<Booster> booster;

  SparkPipelineScoringModel(PipelineModel pipeline, List<String> featureColumns, String location) {
    this.pipeline = pipeline;
    this.featureColumns = List.copyOf(featureColumns);
    this.location = location;
    this.booster = Booster.recognise(pipeline);
  }

  /** A loaded pipeline (tests compare the batch scoring with Spark's). */
  public static SparkPipelineScoringModel of(PipelineModel pipeline, List<String> featureColumns) {
    return new SparkPipelineScoringModel(pipeline, featureColumns, "memory");
  }

  @Override
  public List<String> featureColumns() {
    return featureColumns;
  }

  @Override
  public Dataset<Row> score(Dataset<Row> rows) {
    if (booster.isEmpty()) {
      return scoreWithPipeline(rows);
    }
    Booster last = booster.get();
    BatchModel.Loader loader = last.loader.apply(BatchScoringModel.context(rows));
    Optional<FeatureReader> direct = last.encoded.flatMap(e -> e.reader(rows.schema()));
    if (direct.isPresent()) {
      return BatchScoringModel.predict(rows, loader, direct.get());
    }
    List<String> input = Arrays.asList(rows.columns());
    Dataset<Row> encoded = last.stagesBefore.transform(rows);
    Column[] kept = new Column[input.size() + 1];
    for (int i = 0; i < input.size(); i++) {
      kept[i] = functions.col(input.get(i));
    }
    kept[input.size()] = functions.col(last.featuresColumn);
    Dataset<Row> slim = encoded.select(kept);
    FeatureReader vector = FeatureReader.vector(input.size(), last.width, last.absentEntry);
    return BatchScoringModel.predict(slim, loader, vector).drop(last.featuresColumn);
  }

  /** The pipeline run by Spark, every stage as saved. */
  public Dataset<Row> scoreWithPipeline(Dataset<Row> rows) {
    return PredictionColumns.normalize(pipeline.transform(rows), Arrays.asList(rows.columns()));
  }

  /** How rows are scored: "batch …" or "Spark transform" (for the log and the tests). */
  public String scoring() {
    return booster.map(b -> b.description).orElse("Spark transform");
  }

  @Override
  public String describe() {
    return "spark flavor, PipelineModel with "
        + pipeline.stages().length
        + " stages, scored by "
        + scoring()
        + ", read from "
        + location;
  }

  /** The pipeline's last stage as a booster, with what comes before it. */
  private static final class Booster {
    final Function<JavaSparkContext, BatchModel.Loader> loader;
    final PipelineModel stagesBefore;
    final Optional<EncodedFeatures> encoded;
    final String featuresColumn;
    final int width;
    final double absentEntry;
    final String description;

    private Booster(
        Function<JavaSparkContext, BatchModel.Loader> loader,
        List<Transformer> before,
        String featuresColumn,
        int width,
        double absentEntry,
        String description) {
      this.loader = loader;
      this.stagesBefore =
          new PipelineModel("modelplane-encoding", before.toArray(Transformer[]::new));
      this.encoded =
          EncodedFeatures.recognise(before, featuresColumn).filter(e -> e.width() == width);
      this.featuresColumn = featuresColumn;
      this.width = width;
      this.absentEntry = absentEntry;
      this.description =
          description
              + (encoded.isPresent() ? " over the source columns" : " over " + featuresColumn);
    }

    static Optional<Booster> recognise(PipelineModel pipeline) {
      List<Transformer> stages = new ArrayList<>();
      flatten(pipeline, stages);
      if (stages.isEmpty()) {
        return Optional.empty();
      }
      Transformer last = stages.get(stages.size() - 1);
      List<Transformer> before = stages.subList(0, stages.size() - 1);
      try {
        if (last instanceof XGBoostModel xgboost) {
          return xgboost(xgboost, last, before);
        }
        if (last instanceof LightGBMModelParams) {
          return lightgbm(last, before);
        }
      } catch (RuntimeException | ml.dmlc.xgboost4j.java.XGBoostError e) {
        return Optional.empty();
      }
      return Optional.empty();
    }

    private static void flatten(PipelineModel pipeline, List<Transformer> into) {
      for (Transformer stage : pipeline.stages()) {
        if (stage instanceof PipelineModel nested) {
          flatten(nested, into);
        } else {
          into.add(stage);
        }
      }
    }

    private static Optional<Booster> xgboost(
        XGBoostModel model, Transformer stage, List<Transformer> before)
        throws ml.dmlc.xgboost4j.java.XGBoostError {
      Params params = stage;
      if (!"prediction".equals(string(params, "predictionCol"))
          || !Float.isNaN((Float) params.getOrDefault(params.getParam("missing")))
          || params.isDefined(params.getParam("baseMarginCol"))
              && !string(params, "baseMarginCol").isEmpty()) {
        return Optional.empty();
      }
      JsonNode learner;
      try {
        learner = JSON.readTree(model.nativeBooster().toByteArray("json")).path("learner");
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
      String objective = learner.path("objective").path("name").asText("");
      XgboostBatchModel.Output output = XgboostBatchModel.Output.forObjective(objective);
      boolean classifier = stage instanceof XGBoostClassificationModel;
      boolean fits =
          classifier
              ? (output == XgboostBatchModel.Output.BINARY_PROBABILITY
                      || output == XgboostBatchModel.Output.MULTI_PROBABILITIES)
                  && "probability".equals(string(params, "probabilityCol"))
                  && !params.isDefined(params.getParam("thresholds"))
              : (stage instanceof XGBoostRegressionModel || stage instanceof XGBoostRankerModel)
                  && output == XgboostBatchModel.Output.VALUE;
      if (!fits) {
        return Optional.empty();
      }
      byte[] bytes = model.nativeBooster().toByteArray("ubj");
      int width = (int) model.nativeBooster().getNumFeature();
      return Optional.of(
          new Booster(
              context -> XgboostBatchModel.loader(context.broadcast(bytes), output),
              before,
              string(params, "featuresCol"),
              width,
              Double.NaN,
              "batch XGBoost (" + objective + ")"));
    }

    private static Optional<Booster> lightgbm(Transformer stage, List<Transformer> before) {
      Params params = stage;
      LightGBMModelParams model = (LightGBMModelParams) stage;
      boolean classifier = stage instanceof LightGBMClassificationModel;
      boolean fits =
          classifier
              ? "probability".equals(string(params, "probabilityCol"))
                  && !string(params, "rawPredictionCol").isEmpty()
                  && !params.isDefined(params.getParam("thresholds"))
              : stage instanceof LightGBMRegressionModel || stage instanceof LightGBMRankerModel;
      if (!fits || !"prediction".equals(string(params, "predictionCol"))) {
        return Optional.empty();
      }
      String text = model.getModel().getNativeModel();
      int width = model.getModel().numFeatures();
      int start = model.getStartIteration();
      int iterations = model.getNumIterations();
      boolean disableShapeCheck =
          (Boolean) params.getOrDefault(params.getParam("predictDisableShapeCheck"));
      return Optional.of(
          new Booster(
              context ->
                  LightgbmBatchModel.loader(
                      context.broadcast(text),
                      classifier,
                      start,
                      iterations,
                      disableShapeCheck,
                      width),
              before,
              string(params, "featuresCol"),
              width,
              0.0,
              "batch LightGBM (" + (classifier ? "classifier" : "regressor or ranker") + ")"));
    }

    private static String string(Params params, String name) {
      Object value = params.getOrDefault(params.getParam(name));
      return value == null ? "" : value.toString();
    }
  }
}
