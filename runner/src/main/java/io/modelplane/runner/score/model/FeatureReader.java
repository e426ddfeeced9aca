package io.modelplane.runner.score.model;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * Copies one row's model features into a row-major batch of doubles ({@link BatchPredictions}).
 * Reads Spark's internal rows with their typed getters: no row conversion, no boxing.
 */
abstract class FeatureReader implements Serializable {

  private static final long serialVersionUID = 1L;

  /** How many values a row gives. */
  abstract int width();

  /** Writes the row's {@link #width()} values at {@code values[offset]}. */
  abstract void read(InternalRow row, double[] values, int offset);

  /**
   * A numeric or boolean column read as a double: null is NaN (missing), a boolean 1 or 0, a
   * decimal its {@code BigDecimal.doubleValue()}, any other number Java's widening to double.
   */
  static final class NumberColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind {
      DOUBLE,
      FLOAT,
      LONG,
      INT,
      SHORT,
      BYTE,
      BOOLEAN,
      DECIMAL
    }

    private final int index;
    private final Kind kind;
    private final int precision;
    private final int scale;

    private NumberColumn(int index, Kind kind, int precision, int scale) {
      this.index = index;
      this.kind = kind;
      this.precision = precision;
      this.scale = scale;
    }

    /** The column at {@code index} of {@code schema}; fails for a type that is not a number. */
    static NumberColumn of(StructType schema, int index) {
      DataType type = schema.fields()[index].dataType();
      if (type instanceof DecimalType decimal) {
        return new NumberColumn(index, Kind.DECIMAL, decimal.precision(), decimal.scale());
      }
      Kind kind;
      if (type instanceof DoubleType) {
        kind = Kind.DOUBLE;
      } else if (type instanceof FloatType) {
        kind = Kind.FLOAT;
      } else if (type instanceof LongType) {
        kind = Kind.LONG;
      } else if (type instanceof IntegerType) {
        kind = Kind.INT;
      } else if (type instanceof ShortType) {
        kind = Kind.SHORT;
      } else if (type instanceof ByteType) {
        kind = Kind.BYTE;
      } else if (type instanceof BooleanType) {
        kind = Kind.BOOLEAN;
      } else {
        throw new IllegalArgumentException("not a number column: " + type.simpleString());
      }
      return new NumberColumn(index, kind, 0, 0);
    }

    double read(InternalRow row) {
      if (row.isNullAt(index)) {
        return Double.NaN;
      }
      return switch (kind) {
        case DOUBLE -> row.getDouble(index);
        case FLOAT -> row.getFloat(index);
        case LONG -> row.getLong(index);
        case INT -> row.getInt(index);
        case SHORT -> row.getShort(index);
        case BYTE -> row.getByte(index);
        case BOOLEAN -> row.getBoolean(index) ? 1 : 0;
        case DECIMAL -> row.getDecimal(index, precision, scale).toJavaBigDecimal().doubleValue();
      };
    }
  }

  /** Numeric columns of the row, in order (a Python user's booster over named columns). */
  static FeatureReader columns(StructType schema, int[] indexes) {
    NumberColumn[] columns =
        Arrays.stream(indexes)
            .mapToObj(i -> NumberColumn.of(schema, i))
            .toArray(NumberColumn[]::new);
    return new FeatureReader() {
      private static final long serialVersionUID = 1L;

      @Override
      int width() {
        return columns.length;
      }

      @Override
      void read(InternalRow row, double[] values, int offset) {
        for (int f = 0; f < columns.length; f++) {
          values[offset + f] = columns[f].read(row);
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

      private transient VectorUDT type;

      @Override
      int width() {
        return size;
      }

      @Override
      void read(InternalRow row, double[] values, int offset) {
        if (type == null) {
          type = new VectorUDT();
        }
        Vector vector =
            row.isNullAt(index)
                ? null
                : type.deserialize(row.getStruct(index, type.sqlType().size()));
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
          Arrays.fill(values, offset, offset + size, absent);
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
