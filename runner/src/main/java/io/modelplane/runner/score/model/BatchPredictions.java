package io.modelplane.runner.score.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition in batches: the features of up to {@link #BATCH_ROWS} rows are copied into
 * one row-major array ({@link FeatureReader}) and predicted with one native call ({@link
 * BatchModel}), and each row comes back with {@code prediction} and {@code probability} appended.
 * This replaces the libraries' Spark model transforms, which predict row by row (SynapseML: two JNI
 * calls a row) or convert every row through Scala collections into a matrix (XGBoost4J-Spark); on
 * 1M rows that cost several times the prediction itself (docs/benchmarks.md, the scorer).
 */
final class BatchPredictions implements MapPartitionsFunction<Row, Row> {

  static final int BATCH_ROWS = 8192;

  private static final long serialVersionUID = 1L;

  private final BatchModel.Loader loader;
  private final FeatureReader features;

  BatchPredictions(BatchModel.Loader loader, FeatureReader features) {
    this.loader = loader;
    this.features = features;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new ScoredBatches(rows, loader.open());
  }

  private final class ScoredBatches implements Iterator<Row> {

    private final Iterator<Row> rows;
    private final BatchModel model;
    private final boolean probabilities = loader.hasProbability();
    private final List<Row> batch = new ArrayList<>(BATCH_ROWS);
    private final double[] values = new double[BATCH_ROWS * features.width()];
    private final double[] prediction = new double[BATCH_ROWS];
    private final double[] probability = new double[BATCH_ROWS];
    private int next;
    private boolean closed;

    ScoredBatches(Iterator<Row> rows, BatchModel model) {
      this.rows = rows;
      this.model = model;
    }

    @Override
    public boolean hasNext() {
      if (next < batch.size()) {
        return true;
      }
      if (closed) {
        return false;
      }
      fill();
      if (batch.isEmpty()) {
        closed = true;
        model.close();
        return false;
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = batch.get(next);
      int length = row.length();
      Object[] out = new Object[length + 2];
      for (int i = 0; i < length; i++) {
        out[i] = row.get(i);
      }
      out[length] = prediction[next];
      out[length + 1] = probabilities ? probability[next] : null;
      next++;
      return RowFactory.create(out);
    }

    private void fill() {
      batch.clear();
      next = 0;
      int width = features.width();
      while (batch.size() < BATCH_ROWS && rows.hasNext()) {
        Row row = rows.next();
        features.read(row, values, batch.size() * width);
        batch.add(row);
      }
      if (!batch.isEmpty()) {
        model.predict(values, batch.size(), width, prediction, probability);
      }
    }
  }
}
