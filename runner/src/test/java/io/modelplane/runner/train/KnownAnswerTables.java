package io.modelplane.runner.train;

import io.modelplane.runner.SharedSpark;
import io.modelplane.runner.spark.RunnerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
    String[] colours = {"red", "green", "blue"};
    return write(
        table,
        "id INT, x1 DOUBLE, x2 DOUBLE, colour STRING, y INT",
        generate(
            1,
            rows,
            (random, i) -> {
              double x1 = random.nextGaussian();
              double x2 = random.nextGaussian();
              String colour = colours[random.nextInt(3)];
              double score = x1 + x2 + ("red".equals(colour) ? 1 : 0) + 0.3 * random.nextGaussian();
              return RowFactory.create(
                  i, i % 17 == 0 ? null : x1, x2, i % 23 == 0 ? null : colour, score > 0.5 ? 1 : 0);
            }));
  }

  /** Three classes a, b, c by which of three linear scores is largest. */
  String multiclass(String table, int rows) {
    return write(
        table,
        "x1 DOUBLE, x2 DOUBLE, noise DOUBLE, kind STRING",
        generate(
            2,
            rows,
            (random, i) -> {
              double x1 = random.nextGaussian();
              double x2 = random.nextGaussian();
              double a = x1;
              double b = x2;
              double c = -x1 - x2;
              String label = a >= b && a >= c ? "a" : b >= c ? "b" : "c";
              return RowFactory.create(x1, x2, random.nextGaussian(), label);
            }));
  }

  /** y = 3 x1 - 2 x2 + 5 + N(0, 0.5). */
  String regression(String table, int rows) {
    return write(
        table,
        "x1 DOUBLE, x2 DOUBLE, y DOUBLE",
        generate(
            3,
            rows,
            (random, i) -> {
              double x1 = random.nextGaussian();
              double x2 = random.nextGaussian();
              return RowFactory.create(x1, x2, 3 * x1 - 2 * x2 + 5 + 0.5 * random.nextGaussian());
            }));
  }

  /** Queries of 10 items; relevance 0..3 grows with x1 (plus noise), x2 is noise. */
  String ranking(String table, int groups) {
    return write(
        table,
        "query STRING, x1 DOUBLE, x2 DOUBLE, relevance INT",
        generate(
            4,
            groups * 10,
            (random, i) -> {
              double x1 = random.nextGaussian();
              double signal = x1 + 0.3 * random.nextGaussian();
              int relevance = signal > 1 ? 3 : signal > 0.3 ? 2 : signal > -0.5 ? 1 : 0;
              return RowFactory.create("q" + i / 10, x1, random.nextGaussian(), relevance);
            }));
  }

  /** Inliers from N(0, 1) in four dimensions, 3% planted outliers far out, labelled 1. */
  String outliers(String table, int rows) {
    return write(
        table,
        "a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE, is_outlier INT",
        generate(
            5,
            rows,
            (random, i) -> {
              boolean outlier = i % 33 == 0;
              double[] x = new double[4];
              for (int d = 0; d < 4; d++) {
                x[d] =
                    outlier
                        ? (random.nextBoolean() ? 1 : -1) * (5 + 2 * random.nextDouble())
                        : random.nextGaussian();
              }
              return RowFactory.create(x[0], x[1], x[2], x[3], outlier ? 1 : 0);
            }));
  }

  /**
   * Six 0/1 flags of which exactly one is set (so the assembled vectors are sparse); y = 1 when the
   * flag set is f0 or f1.
   */
  String sparse(String table, int rows) {
    return write(
        table,
        "f0 DOUBLE, f1 DOUBLE, f2 DOUBLE, f3 DOUBLE, f4 DOUBLE, f5 DOUBLE, y INT",
        generate(
            6,
            rows,
            (random, i) -> {
              int set = random.nextInt(6);
              Object[] values = new Object[7];
              for (int f = 0; f < 6; f++) {
                values[f] = f == set ? 1.0 : 0.0;
              }
              values[6] = set < 2 ? 1 : 0;
              return RowFactory.create(values);
            }));
  }

  /** One generated row: {@code i} counts from 0, {@code random} is the table's seeded source. */
  private interface RowMaker {
    Row make(Random random, int i);
  }

  /** {@code count} rows made in order from one {@code Random(seed)}, so every run gets the same. */
  private static List<Row> generate(long seed, int count, RowMaker maker) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(maker.make(random, i));
    }
    return rows;
  }

  /** Creates {@code table} with the nullable columns of {@code ddl} (e.g. "x1 DOUBLE, y INT"). */
  String write(String table, String ddl, List<Row> rows) {
    String name = settings.catalogName() + "." + table;
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + name.substring(0, name.lastIndexOf('.')));
    try {
      spark.createDataFrame(rows, StructType.fromDDL(ddl)).writeTo(name).using("iceberg").create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      throw new IllegalStateException(e);
    }
    return table;
  }
}
