package io.modelplane.runner.score.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.synapse.ml.core.utils.ContextObjectInputStream;
import com.microsoft.azure.synapse.ml.lightgbm.booster.LightGBMBooster;
import com.microsoft.azure.synapse.ml.lightgbm.params.LightGBMModelParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
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
  static final String XGBOOST_CLASSIFIER =
      "ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel";
  static final String XGBOOST_REGRESSOR = "ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel";
  static final String XGBOOST_RANKER = "ml.dmlc.xgboost4j.scala.spark.XGBoostRankerModel";
  static final String LIGHTGBM_CLASSIFIER =
      "com.microsoft.azure.synapse.ml.lightgbm.LightGBMClassificationModel";
  static final String LIGHTGBM_REGRESSOR =
      "com.microsoft.azure.synapse.ml.lightgbm.LightGBMRegressionModel";
  static final String LIGHTGBM_RANKER =
      "com.microsoft.azure.synapse.ml.lightgbm.LightGBMRankerModel";

  private final Supplier<PipelineModel> pipeline;
  private final int stageCount;
  private final List<String> featureColumns;
  private final String location;
  private final Optional<Booster> booster;
  private final Optional<EncodedFeatures> encoded;

  private SparkPipelineScoringModel(
      Supplier<PipelineModel> pipeline,
      int stageCount,
      List<String> featureColumns,
      String location,
      Optional<Booster> booster,
      Optional<EncodedFeatures> encoded) {
    this.pipeline = pipeline;
    this.stageCount = stageCount;
    this.featureColumns = List.copyOf(featureColumns);
    this.location = location;
    this.booster = booster;
    this.encoded = encoded;
  }

  /** A pipeline Spark loaded: its last stage as a booster when it is one this class predicts. */
  static SparkPipelineScoringModel loaded(
      PipelineModel pipeline, List<String> featureColumns, String location) {
    List<Transformer> stages = new ArrayList<>();
    flatten(pipeline, stages);
    Optional<Booster> booster = Booster.recognise(stages);
    Optional<EncodedFeatures> encoded =
        booster.flatMap(
            b ->
                EncodedFeatures.recognise(stages.subList(0, stages.size() - 1), b.featuresColumn)
                    .filter(e -> e.width() == b.width));
    return new SparkPipelineScoringModel(
        () -> pipeline, stages.size(), featureColumns, location, booster, encoded);
  }

  /**
   * A pipeline read as saved ({@link SavedPipeline}), without Spark, when it is train's encoding
   * followed by a booster this class predicts; empty for any other pipeline. {@code load} gives the
   * PipelineModel itself, called only if the rows' column types need the stages run by Spark.
   */
  static Optional<SparkPipelineScoringModel> readDirectly(
      List<SavedPipeline.Stage> stages,
      List<String> featureColumns,
      String location,
      Supplier<PipelineModel> load)
      throws IOException {
    if (stages.isEmpty()) {
      return Optional.empty();
    }
    SavedPipeline.Stage last = stages.get(stages.size() - 1);
    Optional<Booster> booster = Booster.recognise(last);
    if (booster.isEmpty()) {
      return Optional.empty();
    }
    Optional<EncodedFeatures> encoded =
        EncodedFeatures.fromStages(
                stages.subList(0, stages.size() - 1), booster.get().featuresColumn)
            .filter(e -> e.width() == booster.get().width);
    if (encoded.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SparkPipelineScoringModel(
            memoize(load), stages.size(), featureColumns, location, booster, encoded));
  }

  /** A loaded pipeline (tests compare the batch scoring with Spark's). */
  public static SparkPipelineScoringModel of(PipelineModel pipeline, List<String> featureColumns) {
    return loaded(pipeline, featureColumns, "memory");
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
    Optional<FeatureReader> direct = encoded.flatMap(e -> e.reader(rows.schema()));
    if (direct.isPresent()) {
      return BatchScoringModel.predict(rows, loader, direct.get());
    }
    List<Transformer> stages = new ArrayList<>();
    flatten(pipeline.get(), stages);
    PipelineModel stagesBefore =
        new PipelineModel(
            "modelplane-encoding",
            stages.subList(0, stages.size() - 1).toArray(Transformer[]::new));
    List<String> input = Arrays.asList(rows.columns());
    Dataset<Row> encodedRows = stagesBefore.transform(rows);
    Column[] kept = new Column[input.size() + 1];
    for (int i = 0; i < input.size(); i++) {
      kept[i] = functions.col(input.get(i));
    }
    kept[input.size()] = functions.col(last.featuresColumn);
    Dataset<Row> slim = encodedRows.select(kept);
    FeatureReader vector = FeatureReader.vector(input.size(), last.width, last.absentEntry);
    return BatchScoringModel.predict(slim, loader, vector).drop(last.featuresColumn);
  }

  /** The pipeline run by Spark, every stage as saved. */
  public Dataset<Row> scoreWithPipeline(Dataset<Row> rows) {
    return PredictionColumns.normalize(
        pipeline.get().transform(rows), Arrays.asList(rows.columns()));
  }

  /** How rows are scored: "batch …" or "Spark transform" (for the log and the tests). */
  public String scoring() {
    return booster
        .map(
            b ->
                b.description
                    + (encoded.isPresent()
                        ? " over the source columns"
                        : " over " + b.featuresColumn))
        .orElse("Spark transform");
  }

  /** The booster's model bytes as broadcast (UBJ for XGBoost, the text model for LightGBM). */
  Optional<Object> boosterModel() {
    return booster.map(b -> b.model);
  }

  /** The encoding computed from the source columns, when the stages are train's (tests). */
  Optional<EncodedFeatures> encoding() {
    return encoded;
  }

  @Override
  public String describe() {
    return "spark flavor, PipelineModel with "
        + stageCount
        + " stages, scored by "
        + scoring()
        + ", read from "
        + location;
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

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }

  /** The pipeline's last stage as a booster predicted in batches. */
  private static final class Booster {
    final Object model;
    final Function<JavaSparkContext, BatchModel.Loader> loader;
    final String featuresColumn;
    final int width;
    final double absentEntry;
    final String description;

    private Booster(
        Object model,
        Function<JavaSparkContext, BatchModel.Loader> loader,
        String featuresColumn,
        int width,
        double absentEntry,
        String description) {
      this.model = model;
      this.loader = loader;
      this.featuresColumn = featuresColumn;
      this.width = width;
      this.absentEntry = absentEntry;
      this.description = description;
    }

    /** The last of the stages Spark loaded. */
    static Optional<Booster> recognise(List<Transformer> stages) {
      if (stages.isEmpty()) {
        return Optional.empty();
      }
      Transformer last = stages.get(stages.size() - 1);
      String className = last.getClass().getName();
      try {
        if (last instanceof XGBoostModel xgboost) {
          return xgboost(
              className, StageParams.of(last), xgboost.nativeBooster().toByteArray("ubj"));
        }
        if (last instanceof LightGBMModelParams lightgbm) {
          return lightgbm(className, StageParams.of(last), lightgbm.getModel());
        }
      } catch (RuntimeException | ml.dmlc.xgboost4j.java.XGBoostError e) {
        return Optional.empty();
      }
      return Optional.empty();
    }

    /**
     * A saved last stage: XGBoost4J-Spark keeps the booster in {@code data/model}, SynapseML's
     * LightGBM keeps its {@code LightGBMBooster} Java-serialized in {@code complexParams/} (where
     * its metadata's {@code complexParamLocs} says), read as SynapseML reads them.
     */
    static Optional<Booster> recognise(SavedPipeline.Stage last) throws IOException {
      String className = last.className();
      try {
        if (List.of(XGBOOST_CLASSIFIER, XGBOOST_REGRESSOR, XGBOOST_RANKER).contains(className)) {
          byte[] bytes;
          try (InputStream in = last.open(last.file("data/model"))) {
            bytes = in.readAllBytes();
          }
          return xgboost(className, last, bytes);
        }
        if (List.of(LIGHTGBM_CLASSIFIER, LIGHTGBM_REGRESSOR, LIGHTGBM_RANKER).contains(className)) {
          String relative =
              last.metadata().path("complexParamLocs").path("lightGBMBooster").asText("");
          if (relative.isEmpty()) {
            return Optional.empty();
          }
          Object booster;
          try (ObjectInputStream in =
              new ContextObjectInputStream(last.open(last.file(relative)))) {
            booster = in.readObject();
          } catch (ClassNotFoundException e) {
            return Optional.empty();
          }
          return booster instanceof LightGBMBooster lightgbm
              ? lightgbm(className, last, lightgbm)
              : Optional.empty();
        }
      } catch (RuntimeException | ml.dmlc.xgboost4j.java.XGBoostError e) {
        return Optional.empty();
      }
      return Optional.empty();
    }

    /** XGBoost4J-Spark's model, from its booster's bytes (any format XGBoost reads). */
    private static Optional<Booster> xgboost(String className, StageParams params, byte[] saved)
        throws ml.dmlc.xgboost4j.java.XGBoostError {
      if (!"prediction".equals(params.text("predictionCol"))
          || !Double.isNaN(params.number("missing"))
          || params.isDefined("baseMarginCol") && !params.text("baseMarginCol").isEmpty()) {
        return Optional.empty();
      }
      ml.dmlc.xgboost4j.java.Booster native_;
      try {
        native_ = ml.dmlc.xgboost4j.java.XGBoost.loadModel(saved);
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
      try {
        JsonNode learner;
        try {
          learner = JSON.readTree(native_.toByteArray("json")).path("learner");
        } catch (java.io.IOException e) {
          return Optional.empty();
        }
        String objective = learner.path("objective").path("name").asText("");
        XgboostBatchModel.Output output = XgboostBatchModel.Output.forObjective(objective);
        boolean fits =
            XGBOOST_CLASSIFIER.equals(className)
                ? (output == XgboostBatchModel.Output.BINARY_PROBABILITY
                        || output == XgboostBatchModel.Output.MULTI_PROBABILITIES)
                    && "probability".equals(params.text("probabilityCol"))
                    && !params.isDefined("thresholds")
                : (XGBOOST_REGRESSOR.equals(className) || XGBOOST_RANKER.equals(className))
                    && output == XgboostBatchModel.Output.VALUE;
        if (!fits) {
          return Optional.empty();
        }
        byte[] bytes = native_.toByteArray("ubj");
        int width = (int) native_.getNumFeature();
        return Optional.of(
            new Booster(
                bytes,
                context -> XgboostBatchModel.loader(context.broadcast(bytes), output),
                params.text("featuresCol"),
                width,
                Double.NaN,
                "batch XGBoost (" + objective + ")"));
      } finally {
        native_.dispose();
      }
    }

    private static Optional<Booster> lightgbm(
        String className, StageParams params, LightGBMBooster model) {
      boolean classifier = LIGHTGBM_CLASSIFIER.equals(className);
      boolean fits =
          classifier
              ? "probability".equals(params.text("probabilityCol"))
                  && !params.text("rawPredictionCol").isEmpty()
                  && !params.isDefined("thresholds")
              : LIGHTGBM_REGRESSOR.equals(className) || LIGHTGBM_RANKER.equals(className);
      if (!fits || !"prediction".equals(params.text("predictionCol"))) {
        return Optional.empty();
      }
      String text = model.getNativeModel();
      int width = model.numFeatures();
      int start = (int) params.number("startIteration");
      int iterations = (int) params.number("numIterations");
      boolean disableShapeCheck = params.flag("predictDisableShapeCheck");
      return Optional.of(
          new Booster(
              text,
              context ->
                  LightgbmBatchModel.loader(
                      context.broadcast(text),
                      classifier,
                      start,
                      iterations,
                      disableShapeCheck,
                      width),
              params.text("featuresCol"),
              width,
              0.0,
              "batch LightGBM (" + (classifier ? "classifier" : "regressor or ranker") + ")"));
    }
  }
}
