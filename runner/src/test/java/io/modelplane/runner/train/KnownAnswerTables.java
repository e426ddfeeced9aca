package io.modelplane.runner.train;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.spark.RunnerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Generated Iceberg tables whose answer is known, written into a test catalog. */
final class KnownAnswerTables {

  private final RunnerSettings settings;
  private final SparkSession spark;

  KnownAnswerTables(RunnerSettings settings) {
    this.settings = settings;
    this.spark = SharedSpark.session(settings);
  }

  /** y = 1 when x1 + x2 (+1 for colour red) + a little noise > 0.5; some values missing. */
  String binary(String table, int rows) {
    Random random = new Random(1);
    List<Row> data = new ArrayList<>();
    String[] colours = {"red", "green", "blue"};
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      String colour = colours[random.nextInt(3)];
      double score = x1 + x2 + ("red".equals(colour) ? 1 : 0) + 0.3 * random.nextGaussian();
      data.add(
          RowFactory.create(
              i, i % 17 == 0 ? null : x1, x2, i % 23 == 0 ? null : colour, score > 0.5 ? 1 : 0));
    }
    return write(
        table,
        data,
        field("id", DataTypes.IntegerType),
        field("x1", DataTypes.DoubleType),
        field("x2", DataTypes.DoubleType),
        field("colour", DataTypes.StringType),
        field("y", DataTypes.IntegerType));
  }

  /** Three classes a, b, c by which of three linear scores is largest. */
  String multiclass(String table, int rows) {
    Random random = new Random(2);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      double a = x1;
      double b = x2;
      double c = -x1 - x2;
      String label = a >= b && a >= c ? "a" : b >= c ? "b" : "c";
      data.add(RowFactory.create(x1, x2, random.nextGaussian(), label));
    }
    return write(
        table,
        data,
        field("x1", DataTypes.DoubleType),
        field("x2", DataTypes.DoubleType),
        field("noise", DataTypes.DoubleType),
        field("kind", DataTypes.StringType));
  }

  /** y = 3 x1 - 2 x2 + 5 + N(0, 0.5). */
  String regression(String table, int rows) {
    Random random = new Random(3);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      data.add(RowFactory.create(x1, x2, 3 * x1 - 2 * x2 + 5 + 0.5 * random.nextGaussian()));
    }
    return write(
        table,
        data,
        field("x1", DataTypes.DoubleType),
        field("x2", DataTypes.DoubleType),
        field("y", DataTypes.DoubleType));
  }

  /** Queries of 10 items; relevance 0..3 grows with x1 (plus noise), x2 is noise. */
  String ranking(String table, int groups) {
    Random random = new Random(4);
    List<Row> data = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      for (int item = 0; item < 10; item++) {
        double x1 = random.nextGaussian();
        double signal = x1 + 0.3 * random.nextGaussian();
        int relevance = signal > 1 ? 3 : signal > 0.3 ? 2 : signal > -0.5 ? 1 : 0;
        data.add(RowFactory.create("q" + g, x1, random.nextGaussian(), relevance));
      }
    }
    return write(
        table,
        data,
        field("query", DataTypes.StringType),
        field("x1", DataTypes.DoubleType),
        field("x2", DataTypes.DoubleType),
        field("relevance", DataTypes.IntegerType));
  }

  /** Inliers from N(0, 1) in four dimensions, 3% planted outliers far out, labelled 1. */
  String outliers(String table, int rows) {
    Random random = new Random(5);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      boolean outlier = i % 33 == 0;
      double[] x = new double[4];
      for (int d = 0; d < 4; d++) {
        x[d] =
            outlier
                ? (random.nextBoolean() ? 1 : -1) * (5 + 2 * random.nextDouble())
                : random.nextGaussian();
      }
      data.add(RowFactory.create(x[0], x[1], x[2], x[3], outlier ? 1 : 0));
    }
    return write(
        table,
        data,
        field("a", DataTypes.DoubleType),
        field("b", DataTypes.DoubleType),
        field("c", DataTypes.DoubleType),
        field("d", DataTypes.DoubleType),
        field("is_outlier", DataTypes.IntegerType));
  }

  /**
   * Six 0/1 flags of which exactly one is set (so the assembled vectors are sparse); y = 1 when the
   * flag set is f0 or f1.
   */
  String sparse(String table, int rows) {
    Random random = new Random(6);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int set = random.nextInt(6);
      Object[] values = new Object[7];
      for (int f = 0; f < 6; f++) {
        values[f] = f == set ? 1.0 : 0.0;
      }
      values[6] = set < 2 ? 1 : 0;
      data.add(RowFactory.create(values));
    }
    StructField[] fields = new StructField[7];
    for (int f = 0; f < 6; f++) {
      fields[f] = field("f" + f, DataTypes.DoubleType);
    }
    fields[6] = field("y", DataTypes.IntegerType);
    return write(table, data, fields);
  }

  String write(String table, List<Row> rows, StructField... fields) {
    String name = settings.catalogName() + "." + table;
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + name.substring(0, name.lastIndexOf('.')));
    try {
      spark.createDataFrame(rows, new StructType(fields)).writeTo(name).using("iceberg").create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      throw new IllegalStateException(e);
    }
    return table;
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
