package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Graded NDCG@k averaged over the groups of {@link InternalColumns#GROUP}: gain {@code 2^rel - 1},
 * discount {@code log2(rank + 1)}; a group whose ideal DCG is 0 (no relevant item) counts as 1, as
 * LightGBM and XGBoost count it. Spark's own RankingEvaluator knows only binary relevance.
 */
final class NdcgEvaluator extends Evaluator {
  private static final long serialVersionUID = 1L;

  private final String uid = Identifiable$.MODULE$.randomUID("ndcgEvaluator");
  private final int k;

  NdcgEvaluator(int k) {
    this.k = k;
  }

  @Override
  public double evaluate(Dataset<?> dataset) {
    Column group = col(InternalColumns.GROUP);
    Column gain = pow(lit(2.0), col(InternalColumns.LABEL)).minus(1.0);
    WindowSpec byPrediction =
        Window.partitionBy(group).orderBy(desc("prediction"), col(InternalColumns.LABEL));
    WindowSpec byLabel = Window.partitionBy(group).orderBy(desc(InternalColumns.LABEL));
    Dataset<Row> ranked =
        dataset
            .select(group, col(InternalColumns.LABEL), col("prediction"))
            .withColumn("gain", gain)
            .withColumn("predicted_rank", row_number().over(byPrediction))
            .withColumn("ideal_rank", row_number().over(byLabel));
    Column dcg =
        sum(
            when(
                    col("predicted_rank").leq(k),
                    col("gain").divide(log2(col("predicted_rank").plus(1))))
                .otherwise(0.0));
    Column idcg =
        sum(
            when(col("ideal_rank").leq(k), col("gain").divide(log2(col("ideal_rank").plus(1))))
                .otherwise(0.0));
    Row mean =
        ranked
            .groupBy(group)
            .agg(dcg.as("dcg"), idcg.as("idcg"))
            .select(
                org.apache.spark.sql.functions.avg(
                    when(col("idcg").equalTo(0.0), lit(1.0))
                        .otherwise(col("dcg").divide(col("idcg")))))
            .first();
    return mean.isNullAt(0) ? 0.0 : mean.getDouble(0);
  }

  @Override
  public boolean isLargerBetter() {
    return true;
  }

  @Override
  public Evaluator copy(ParamMap extra) {
    return new NdcgEvaluator(k);
  }

  @Override
  public String uid() {
    return uid;
  }
}
