package io.modelplane.runner.score.model;

import java.io.Serializable;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/** Copies one row's model features into a row-major batch of doubles ({@link BatchPredictions}). */
abstract class FeatureReader implements Serializable {

  private static final long serialVersionUID = 1L;

  /** How many values a row gives. */
  abstract int width();

  /** Writes the row's {@link #width()} values at {@code values[offset]}. */
  abstract void read(Row row, double[] values, int offset);

  /** A numeric or boolean column as a double: null is NaN (missing), a boolean 1 or 0. */
  static double number(Row row, int index) {
    if (row.isNullAt(index)) {
      return Double.NaN;
    }
    Object value = row.get(index);
    if (value instanceof Boolean flag) {
      return flag ? 1 : 0;
    }
    return ((Number) value).doubleValue();
  }

  /** Numeric columns of the row, in order (a Python user's booster over named columns). */
  static FeatureReader columns(int[] indexes) {
    int[] copy = indexes.clone();
    return new FeatureReader() {
      private static final long serialVersionUID = 1L;

      @Override
      int width() {
        return copy.length;
      }

      @Override
      void read(Row row, double[] values, int offset) {
        for (int f = 0; f < copy.length; f++) {
          values[offset + f] = number(row, copy[f]);
        }
      }
    };
  }

  /**
   * A Spark ML vector column of {@code size} entries. The entries a sparse vector leaves out are
   * {@code absent}: NaN for XGBoost4J-Spark (it builds its matrix from the stored entries only, so
   * the others are missing), 0 for LightGBM (its CSR prediction reads them as zeros).
   */
  static FeatureReader vector(int index, int size, double absent) {
    return new FeatureReader() {
      private static final long serialVersionUID = 1L;

      @Override
      int width() {
        return size;
      }

      @Override
      void read(Row row, double[] values, int offset) {
        Vector vector = row.isNullAt(index) ? null : (Vector) row.get(index);
        if (vector == null || vector.size() != size) {
          throw new IllegalStateException(
              "the model reads vectors of "
                  + size
                  + " features, the row has "
                  + (vector == null ? "none" : vector.size()));
        }
        if (vector instanceof DenseVector dense) {
          System.arraycopy(dense.values(), 0, values, offset, size);
        } else {
          SparseVector sparse = (SparseVector) vector;
          java.util.Arrays.fill(values, offset, offset + size, absent);
          int[] indices = sparse.indices();
          double[] stored = sparse.values();
          for (int i = 0; i < indices.length; i++) {
            values[offset + indices[i]] = stored[i];
          }
        }
      }
    };
  }
}
