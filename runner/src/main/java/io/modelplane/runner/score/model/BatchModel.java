package io.modelplane.runner.score.model;

import java.io.Serializable;

/**
 * A native model that predicts a batch of rows with one call: the batch predictor behind {@link
 * BatchPredictions}. One instance per partition (they hold native memory and are not shared between
 * threads), made on the executor by its {@link Loader}.
 */
interface BatchModel extends AutoCloseable {

  /**
   * Predicts {@code rows} rows of {@code values} (row-major, {@code width} values a row) and sets
   * {@code prediction[i]} and {@code probability[i]} (ignored when {@link Loader#hasProbability()}
   * is false).
   */
  void predict(double[] values, int rows, int width, double[] prediction, double[] probability);

  /** Frees the native model. */
  @Override
  void close();

  /** Serializable recipe for the model (a broadcast of its bytes), opened once per partition. */
  interface Loader extends Serializable {
    BatchModel open();

    /** Whether the model has a probability; without one the column is null (a regressor). */
    boolean hasProbability();
  }
}
