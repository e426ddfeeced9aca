package io.modelplane.runner.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * The encoding stages in front of every model: numeric and boolean columns cast to double and
 * imputed (median of the training set), strings indexed with {@code handleInvalid=keep} (missing
 * and unseen values share one extra index), all assembled into one vector. Tree learners split on
 * the index directly, so there is no one-hot step. Saved with the model, so {@code score} encodes
 * exactly as training did.
 */
final class FeaturePipeline {

  private FeaturePipeline() {}

  static Pipeline build(FeatureColumns columns) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    List<String> numeric = columns.numeric();
    if (!numeric.isEmpty()) {
      StringBuilder select = new StringBuilder("SELECT *");
      String[] casts = new String[numeric.size()];
      String[] imputed = new String[numeric.size()];
      for (int i = 0; i < numeric.size(); i++) {
        casts[i] = InternalColumns.numeric(i);
        imputed[i] = InternalColumns.imputed(i);
        select
            .append(", CAST(")
            .append(quote(numeric.get(i)))
            .append(" AS DOUBLE) AS ")
            .append(casts[i]);
      }
      stages.add(new SQLTransformer().setStatement(select.append(" FROM __THIS__").toString()));
      stages.add(new Imputer().setStrategy("median").setInputCols(casts).setOutputCols(imputed));
      assembled.addAll(List.of(imputed));
    }
    List<String> strings = columns.strings();
    if (!strings.isEmpty()) {
      String[] indexed = new String[strings.size()];
      for (int i = 0; i < strings.size(); i++) {
        indexed[i] = InternalColumns.indexed(i);
      }
      stages.add(
          new StringIndexer()
              .setInputCols(strings.toArray(String[]::new))
              .setOutputCols(indexed)
              .setHandleInvalid("keep"));
      assembled.addAll(List.of(indexed));
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(InternalColumns.FEATURES)
            .setHandleInvalid("keep"));
    // XGBoost 3.0.4 cannot read the sparse vectors the assembler writes when zeros dominate
    // (with `missing` unset it refuses them, with missing=0 its conversion breaks). The assembler
    // writes a dense vector whenever at least two thirds of the entries are non-zero, so XGBoost
    // gets the features followed by twice as many constant ones, which no tree ever splits on.
    stages.add(
        new SQLTransformer()
            .setStatement("SELECT *, 1.0D AS " + InternalColumns.ONE + " FROM __THIS__"));
    List<String> padded = new ArrayList<>(assembled);
    for (int i = 0; i < 2 * assembled.size(); i++) {
      padded.add(InternalColumns.ONE);
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(padded.toArray(String[]::new))
            .setOutputCol(InternalColumns.DENSE_FEATURES)
            .setHandleInvalid("keep"));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /** A backtick-quoted identifier for the SQL statement; backticks inside are doubled. */
  static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
