package io.modelplane.runner.score.model;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores one partition of Spark's internal rows in batches: the features of up to {@link
 * #BATCH_ROWS} rows are copied into one row-major array ({@link FeatureReader}) and predicted with
 * one native call ({@link BatchModel}), and each row comes back with {@code prediction} and {@code
 * probability} appended. This replaces the libraries' Spark model transforms, which predict row by
 * row (SynapseML: two JNI calls a row) or convert every row through Scala collections into a matrix
 * (XGBoost4J-Spark); on 1M rows that cost several times the prediction itself (docs/benchmarks.md,
 * the scorer). Internal rows, not {@code Row}s: no encoder converts, boxes and re-checks each
 * value.
 *
 * <p>A row this iterator returns is valid until the next call (it joins the input row with one
 * reused pair of values), as Spark's own scans reuse theirs: its consumer, the scan of {@link
 * BatchScoringModel#predict}'s data frame, copies each row into its own.
 */
final class BatchPredictions implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

  static final int BATCH_ROWS = 8192;

  private static final long serialVersionUID = 1L;

  private final BatchModel.Loader loader;
  private final FeatureReader features;

  BatchPredictions(BatchModel.Loader loader, FeatureReader features) {
    this.loader = loader;
    this.features = features;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    return new ScoredBatches(rows, loader.open());
  }

  private final class ScoredBatches implements Iterator<InternalRow> {

    private final Iterator<InternalRow> rows;
    private final BatchModel model;
    private final boolean probabilities = loader.hasProbability();
    private final InternalRow[] batch = new InternalRow[BATCH_ROWS];
    private final double[] values = new double[BATCH_ROWS * features.width()];
    private final double[] prediction = new double[BATCH_ROWS];
    private final double[] probability = new double[BATCH_ROWS];
    private final SpecificInternalRow predicted =
        new SpecificInternalRow(
            new StructType()
                .add(PredictionColumns.PREDICTION, DataTypes.DoubleType)
                .add(PredictionColumns.PROBABILITY, DataTypes.DoubleType));
    private final JoinedRow scored = new JoinedRow();
    private int size;
    private int next;
    private boolean closed;

    ScoredBatches(Iterator<InternalRow> rows, BatchModel model) {
      this.rows = rows;
      this.model = model;
    }

    @Override
    public boolean hasNext() {
      if (next < size) {
        return true;
      }
      if (closed) {
        return false;
      }
      fill();
      if (size == 0) {
        closed = true;
        model.close();
        return false;
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      predicted.setDouble(0, prediction[next]);
      if (probabilities) {
        predicted.setDouble(1, probability[next]);
      } else {
        predicted.setNullAt(1);
      }
      InternalRow row = batch[next];
      batch[next] = null;
      next++;
      return scored.apply(row, predicted);
    }

    private void fill() {
      size = 0;
      next = 0;
      int width = features.width();
      while (size < BATCH_ROWS && rows.hasNext()) {
        // The scan reuses its row object: keep a copy until the batch is predicted.
        InternalRow row = rows.next().copy();
        features.read(row, values, size * width);
        batch[size++] = row;
      }
      if (size > 0) {
        model.predict(values, size, width, prediction, probability);
      }
    }
  }
}
