package io.modelplane.runner.score.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition with an XGBoost booster in batches: the feature values of up to {@link
 * #BATCH_ROWS} rows are copied into one dense {@code float[]} and predicted with one native call
 * ({@code inplace_predict}, no DMatrix), and each row comes back with {@code prediction} and {@code
 * probability} appended. This replaces XGBoost4J-Spark's model transform, which assembles a vector
 * column, converts every row into a {@code LabeledPoint} through Scala collections and builds a
 * DMatrix per batch; on 1M rows that conversion cost several times the prediction itself
 * (docs/benchmarks.md, the scorer's profile).
 *
 * <p>A null feature is NaN, which XGBoost reads as missing; a boolean is 1 or 0. The booster runs
 * one thread per task ({@code nthread=1}): Spark already runs one task per core.
 */
final class XgboostBatchPredictions implements MapPartitionsFunction<Row, Row> {

  static final int BATCH_ROWS = 8192;

  /** How the booster's output becomes {@code prediction} and {@code probability}. */
  enum Output {
    /** {@code binary:logistic}: the positive class's probability; prediction = p > 0.5. */
    BINARY_PROBABILITY,
    /** {@code binary:logitraw}: a margin, turned into a probability by the logistic function. */
    BINARY_MARGIN,
    /** {@code multi:softprob}: one probability per class; prediction = the most likely class. */
    MULTI_PROBABILITIES,
    /** {@code multi:softmax}: margins per class, normalized by softmax like {@code softprob}. */
    MULTI_MARGINS,
    /** Anything else (regression, ranking, counts): the booster's value, no probability. */
    VALUE;

    boolean margins() {
      return this == BINARY_MARGIN || this == MULTI_MARGINS;
    }
  }

  private static final long serialVersionUID = 1L;

  private final Broadcast<byte[]> booster;
  private final int[] featureIndexes;
  private final Output output;

  XgboostBatchPredictions(Broadcast<byte[]> booster, int[] featureIndexes, Output output) {
    this.booster = booster;
    this.featureIndexes = featureIndexes.clone();
    this.output = output;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws XGBoostError, IOException {
    Booster model = XGBoost.loadModel(booster.value());
    model.setParam("nthread", 1);
    return new ScoredBatches(rows, model);
  }

  private final class ScoredBatches implements Iterator<Row> {

    private final Iterator<Row> rows;
    private final Booster model;
    private final List<Row> batch = new ArrayList<>(BATCH_ROWS);
    private final float[] values = new float[BATCH_ROWS * featureIndexes.length];
    private float[][] predictions;
    private int next;

    ScoredBatches(Iterator<Row> rows, Booster model) {
      this.rows = rows;
      this.model = model;
    }

    @Override
    public boolean hasNext() {
      if (next < batch.size()) {
        return true;
      }
      fill();
      if (batch.isEmpty()) {
        model.dispose();
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
      float[] predicted = predictions[next];
      next++;
      Object[] out = new Object[row.length() + 2];
      for (int i = 0; i < row.length(); i++) {
        out[i] = row.get(i);
      }
      writePrediction(predicted, out, row.length());
      return RowFactory.create(out);
    }

    private void fill() {
      batch.clear();
      next = 0;
      int width = featureIndexes.length;
      while (batch.size() < BATCH_ROWS && rows.hasNext()) {
        Row row = rows.next();
        int offset = batch.size() * width;
        for (int f = 0; f < width; f++) {
          values[offset + f] = feature(row, featureIndexes[f]);
        }
        batch.add(row);
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        predictions =
            model.inplace_predict(
                values,
                batch.size(),
                width,
                Float.NaN,
                new int[] {0, 0},
                output.margins() ? Booster.PredictionType.kMargin : Booster.PredictionType.kValue,
                null);
      } catch (XGBoostError e) {
        throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
      }
    }
  }

  private static float feature(Row row, int index) {
    if (row.isNullAt(index)) {
      return Float.NaN;
    }
    Object value = row.get(index);
    if (value instanceof Boolean flag) {
      return flag ? 1f : 0f;
    }
    return (float) ((Number) value).doubleValue();
  }

  /** Sets {@code out[at]} (prediction) and {@code out[at + 1]} (probability or null). */
  void writePrediction(float[] predicted, Object[] out, int at) {
    switch (output) {
      case BINARY_PROBABILITY, BINARY_MARGIN -> {
        double p =
            output == Output.BINARY_MARGIN
                ? 1 / (1 + Math.exp(-predicted[0]))
                : (double) predicted[0];
        out[at] = p > 0.5 ? 1.0 : 0.0;
        out[at + 1] = p;
      }
      case MULTI_PROBABILITIES, MULTI_MARGINS -> {
        int best = 0;
        for (int k = 1; k < predicted.length; k++) {
          if (predicted[k] > predicted[best]) {
            best = k;
          }
        }
        double p;
        if (output == Output.MULTI_MARGINS) {
          double sum = 0;
          for (float margin : predicted) {
            sum += Math.exp(margin - predicted[best]);
          }
          p = 1 / sum;
        } else {
          p = predicted[best];
        }
        out[at] = (double) best;
        out[at + 1] = p;
      }
      case VALUE -> {
        out[at] = (double) predicted[0];
        out[at + 1] = null;
      }
    }
  }
}
