package io.modelplane.runner.score.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelplane.runner.SharedSpark;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The scorer's batch path over Spark's internal rows: entity columns of any type come back exactly
 * as read, every numeric and boolean feature type becomes the double the model sees, and rows stay
 * whole across batches.
 */
class BatchPredictionsTest {

  private final SparkSession spark = SharedSpark.session(SharedSpark.hadoopCatalog());

  /**
   * A model that predicts feature {@code first} of each row and, when it has a probability, gives
   * feature {@code second} as the probability: what the reader wrote is what comes back.
   */
  private record Echo(int first, int second, boolean probability) implements BatchModel.Loader {
    @Override
    public BatchModel open() {
      return new BatchModel() {
        @Override
        public void predict(
            double[] values, int rows, int width, double[] prediction, double[] probability) {
          for (int r = 0; r < rows; r++) {
            prediction[r] = values[r * width + first];
            probability[r] = values[r * width + second];
          }
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public boolean hasProbability() {
      return probability;
    }
  }

  private static final StructType SCHEMA =
      new StructType()
          .add("name", DataTypes.StringType)
          .add("amount", DataTypes.createDecimalType(20, 4))
          .add("day", DataTypes.DateType)
          .add("at", DataTypes.TimestampType)
          .add("ratio", DataTypes.DoubleType)
          .add("payload", DataTypes.BinaryType)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType))
          .add("f_int", DataTypes.IntegerType)
          .add("f_dec", DataTypes.createDecimalType(10, 3))
          .add("f_bool", DataTypes.BooleanType)
          .add("f_float", DataTypes.FloatType)
          .add("f_long", DataTypes.LongType)
          .add("f_short", DataTypes.ShortType)
          .add("f_byte", DataTypes.ByteType)
          .add("f_double", DataTypes.DoubleType);

  private static final List<Row> ROWS =
      List.of(
          RowFactory.create(
              "älpha",
              new BigDecimal("12345678901234.5678"),
              Date.valueOf("2026-01-31"),
              Timestamp.valueOf("2026-01-31 12:34:56.789"),
              Double.NaN,
              "bytes".getBytes(StandardCharsets.UTF_8),
              List.of("a", "b"),
              7,
              new BigDecimal("1.125"),
              true,
              0.1f,
              1L << 53,
              (short) -3,
              (byte) 4,
              Double.NaN),
          RowFactory.create(
              null, null, null, null, null, null, null, null, null, null, null, null, null, null,
              null),
          RowFactory.create(
              "",
              new BigDecimal("-0.0001"),
              Date.valueOf("1970-01-01"),
              Timestamp.valueOf("1999-12-31 23:59:59"),
              Double.NEGATIVE_INFINITY,
              new byte[0],
              new ArrayList<>(Arrays.asList("x", null)),
              -2,
              new BigDecimal("-99.999"),
              false,
              Float.NaN,
              -5L,
              (short) 0,
              (byte) -128,
              -0.0));

  private Dataset<Row> source() {
    return spark.createDataFrame(ROWS, SCHEMA).repartition(2);
  }

  private List<Row> scored(int first, int second, boolean probability, String... features) {
    Dataset<Row> rows = source();
    int[] indexes = Arrays.stream(features).mapToInt(rows.schema()::fieldIndex).toArray();
    Dataset<Row> scored =
        BatchScoringModel.predict(
            rows,
            new Echo(first, second, probability),
            FeatureReader.columns(rows.schema(), indexes));
    assertThat(scored.schema())
        .isEqualTo(
            SCHEMA
                .add("prediction", DataTypes.DoubleType, false)
                .add("probability", DataTypes.DoubleType, true));
    return scored.orderBy("f_int").collectAsList();
  }

  /** The source's rows as Spark reads them (by f_int: null, -2, 7), with the two values added. */
  private List<Row> expected(double[] predictions, Double[] probabilities) {
    List<Row> read = source().orderBy("f_int").collectAsList();
    List<Row> expected = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      Row row = read.get(i);
      Object[] values = new Object[row.length() + 2];
      for (int c = 0; c < row.length(); c++) {
        values[c] = row.get(c);
      }
      values[row.length()] = predictions[i];
      values[row.length() + 1] = probabilities[i];
      expected.add(RowFactory.create(values));
    }
    return expected;
  }

  @Test
  void entityColumnsOfEveryTypeComeBackAsReadWithThePredictions() {
    List<Row> scored = scored(0, 1, true, "f_int", "f_dec");

    assertThat(scored)
        .isEqualTo(
            expected(new double[] {Double.NaN, -2, 7}, new Double[] {Double.NaN, -99.999, 1.125}));
    assertThat(scored.get(2).getString(0)).isEqualTo("älpha");
    assertThat(scored.get(2).<BigDecimal>getAs("amount"))
        .isEqualTo(new BigDecimal("12345678901234.5678"));
    assertThat(scored.get(0).anyNull()).isTrue();
  }

  @Test
  void everyNumericAndBooleanTypeIsTheDoubleOfItsValueAndNullIsNaN() {
    String[] features = {"f_bool", "f_float", "f_long", "f_short", "f_byte", "f_double"};
    List<double[]> seen = new ArrayList<>();
    for (int f = 0; f < features.length; f++) {
      List<Row> scored = scored(f, f, false, features);
      seen.add(scored.stream().mapToDouble(row -> row.getDouble(row.length() - 2)).toArray());
      assertThat(scored).allMatch(row -> row.isNullAt(row.length() - 1));
    }

    // Rows by f_int: the all-null row, the third row, the first row.
    assertThat(seen.get(0)).containsExactly(Double.NaN, 0, 1);
    assertThat(seen.get(1)).containsExactly(Double.NaN, Double.NaN, (double) 0.1f);
    assertThat(seen.get(2)).containsExactly(Double.NaN, -5, 9007199254740992.0);
    assertThat(seen.get(3)).containsExactly(Double.NaN, 0, -3);
    assertThat(seen.get(4)).containsExactly(Double.NaN, -128, 4);
    assertThat(seen.get(5)).containsExactly(Double.NaN, -0.0, Double.NaN);
  }

  @Test
  void rowsStayWholeAcrossBatchesAndPartitions() {
    int count = 3 * BatchPredictions.BATCH_ROWS + 17;
    Dataset<Row> rows =
        spark
            .range(0, count, 1, 3)
            .selectExpr("id", "CAST(id AS STRING) AS name", "CAST(id * 2 AS DOUBLE) AS twice");
    Dataset<Row> scored =
        BatchScoringModel.predict(
            rows, new Echo(0, 1, true), FeatureReader.columns(rows.schema(), new int[] {0, 2}));

    assertThat(
            scored
                .where(
                    "name = CAST(id AS STRING) AND prediction = id AND probability = twice"
                        + " AND twice = id * 2")
                .count())
        .isEqualTo(count);
    assertThat(scored.select("id").distinct().count()).isEqualTo(count);
  }
}
