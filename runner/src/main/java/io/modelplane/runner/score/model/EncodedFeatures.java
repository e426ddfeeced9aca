package io.modelplane.runner.score.model;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The feature vector of {@code runner train}'s encoding stages (its {@code FeaturePipeline}:
 * numeric columns cast to double and imputed, strings indexed with {@code handleInvalid=keep},
 * assembled, padded with constant ones), computed straight from the source columns: the same
 * values, without Spark building two vector columns a row. Recognised only when every stage before
 * the model is one of those, written the way {@code train} writes them; anything else is scored
 * through the stages themselves.
 *
 * <p>What each entry is, exactly as the stages compute it: a numeric or boolean column as {@code
 * CAST(c AS DOUBLE)} (a boolean is 1 or 0), replaced by the imputer's surrogate when null or NaN; a
 * string column as the index of its value among the indexer's labels, or the number of labels when
 * null or unseen; a constant. A column whose type at scoring time is not one the cast reproduces
 * exactly here (decimal, string for a numeric feature, …) sends the rows through the stages.
 */
final class EncodedFeatures implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Pattern CAST_STATEMENT =
      Pattern.compile(
          "SELECT \\*((?:, CAST\\(`(?:[^`]|``)+` AS DOUBLE\\) AS \\w+)+) FROM __THIS__");
  private static final Pattern CAST_ITEM =
      Pattern.compile("\\G, CAST\\(`((?:[^`]|``)+)` AS DOUBLE\\) AS (\\w+)");
  private static final Pattern CONSTANT_STATEMENT =
      Pattern.compile("SELECT \\*, (-?\\d+\\.\\d+)D AS (\\w+) FROM __THIS__");

  /** One entry of the vector. */
  private record Entry(Kind kind, String column, double value, String[] labels)
      implements Serializable {}

  private enum Kind {
    /** {@code CAST(column AS DOUBLE)}, not yet imputed: not a valid vector entry by itself. */
    CAST,
    IMPUTED,
    INDEXED,
    CONSTANT
  }

  static final String SQL_TRANSFORMER = "org.apache.spark.ml.feature.SQLTransformer";
  static final String IMPUTER = "org.apache.spark.ml.feature.ImputerModel";
  static final String STRING_INDEXER = "org.apache.spark.ml.feature.StringIndexerModel";
  static final String VECTOR_ASSEMBLER = "org.apache.spark.ml.feature.VectorAssembler";

  private final List<Entry> entries;

  private EncodedFeatures(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** What recognising needs of one stage, whether Spark loaded it or it was read as saved. */
  interface Stage {
    /** The stage's class name ({@code org.apache.spark.ml.feature.ImputerModel}, …). */
    String className();

    StageParams params();

    /** An imputer's surrogates, one per input column. */
    double[] surrogates(String[] inputs) throws IOException;

    /** A string indexer's labels, one array per input column. */
    String[][] labels() throws IOException;

    /** A stage Spark loaded. */
    static Stage of(Transformer stage) {
      return new Stage() {
        @Override
        public String className() {
          return stage.getClass().getName();
        }

        @Override
        public StageParams params() {
          return StageParams.of(stage);
        }

        @Override
        public double[] surrogates(String[] inputs) {
          Row surrogates = ((ImputerModel) stage).surrogateDF().first();
          double[] values = new double[inputs.length];
          for (int i = 0; i < inputs.length; i++) {
            values[i] = surrogates.getDouble(surrogates.fieldIndex(inputs[i]));
          }
          return values;
        }

        @Override
        public String[][] labels() {
          return ((StringIndexerModel) stage).labelsArray();
        }
      };
    }
  }

  /** The features the stages write into {@code featuresColumn}, when they are train's encoding. */
  static Optional<EncodedFeatures> recognise(List<Transformer> stages, String featuresColumn) {
    try {
      return fromStages(stages.stream().map(Stage::of).toList(), featuresColumn);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The features the stages write into {@code featuresColumn}, when they are train's encoding.
   *
   * @throws IOException when a saved stage's data cannot be read
   */
  static Optional<EncodedFeatures> fromStages(List<? extends Stage> stages, String featuresColumn)
      throws IOException {
    Map<String, Entry> columns = new HashMap<>();
    Map<String, List<Entry>> vectors = new HashMap<>();
    for (Stage stage : stages) {
      StageParams params = stage.params();
      switch (stage.className()) {
        case SQL_TRANSFORMER -> {
          String statement = params.text("statement");
          Matcher casts = CAST_STATEMENT.matcher(statement);
          Matcher constant = CONSTANT_STATEMENT.matcher(statement);
          if (casts.matches()) {
            Matcher item = CAST_ITEM.matcher(casts.group(1));
            while (item.find()) {
              String column = item.group(1).replace("``", "`");
              columns.put(item.group(2), new Entry(Kind.CAST, column, 0, null));
            }
          } else if (constant.matches()) {
            columns.put(
                constant.group(2),
                new Entry(Kind.CONSTANT, null, Double.parseDouble(constant.group(1)), null));
          } else {
            return Optional.empty();
          }
        }
        case IMPUTER -> {
          if (!Double.isNaN(params.number("missingValue"))) {
            return Optional.empty();
          }
          String[] inputs = params.texts("inputCols");
          String[] outputs = params.texts("outputCols");
          for (String input : inputs) {
            Entry cast = columns.get(input);
            if (cast == null || cast.kind() != Kind.CAST) {
              return Optional.empty();
            }
          }
          double[] surrogates = stage.surrogates(inputs);
          for (int i = 0; i < inputs.length; i++) {
            Entry cast = columns.get(inputs[i]);
            columns.put(outputs[i], new Entry(Kind.IMPUTED, cast.column(), surrogates[i], null));
          }
        }
        case STRING_INDEXER -> {
          if (!"keep".equals(params.text("handleInvalid"))) {
            return Optional.empty();
          }
          String[] inputs =
              params.isSet("inputCols")
                  ? params.texts("inputCols")
                  : new String[] {params.text("inputCol")};
          String[] outputs =
              params.isSet("outputCols")
                  ? params.texts("outputCols")
                  : new String[] {params.text("outputCol")};
          String[][] labels = stage.labels();
          if (labels.length != inputs.length) {
            return Optional.empty();
          }
          for (int i = 0; i < inputs.length; i++) {
            columns.put(outputs[i], new Entry(Kind.INDEXED, inputs[i], 0, labels[i]));
          }
        }
        case VECTOR_ASSEMBLER -> {
          if (!"keep".equals(params.text("handleInvalid"))) {
            return Optional.empty();
          }
          List<Entry> vector = new ArrayList<>();
          for (String input : params.texts("inputCols")) {
            Entry entry = columns.get(input);
            if (entry == null || entry.kind() == Kind.CAST) {
              return Optional.empty();
            }
            vector.add(entry);
          }
          vectors.put(params.text("outputCol"), vector);
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.ofNullable(vectors.get(featuresColumn)).map(EncodedFeatures::new);
  }

  /** The same encoding: the same entries, in the same order (tests). */
  boolean sameAs(EncodedFeatures other) {
    if (other.entries.size() != entries.size()) {
      return false;
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry a = entries.get(i);
      Entry b = other.entries.get(i);
      if (a.kind() != b.kind()
          || !java.util.Objects.equals(a.column(), b.column())
          || Double.compare(a.value(), b.value()) != 0
          || !java.util.Arrays.equals(a.labels(), b.labels())) {
        return false;
      }
    }
    return true;
  }

  /** The vector's length. */
  int width() {
    return entries.size();
  }

  /** A reader over rows of this schema, when every source column has a type read exactly here. */
  Optional<FeatureReader> reader(StructType schema) {
    List<String> names = List.of(schema.fieldNames());
    int[] indexes = new int[entries.size()];
    FeatureReader.NumberColumn[] numbers = new FeatureReader.NumberColumn[entries.size()];
    for (int i = 0; i < indexes.length; i++) {
      Entry entry = entries.get(i);
      if (entry.kind() == Kind.CONSTANT) {
        indexes[i] = -1;
        continue;
      }
      if (!names.contains(entry.column())) {
        return Optional.empty();
      }
      DataType type = schema.apply(entry.column()).dataType();
      boolean fits =
          entry.kind() == Kind.INDEXED ? type instanceof StringType : exactlyCastToDouble(type);
      if (!fits) {
        return Optional.empty();
      }
      indexes[i] = schema.fieldIndex(entry.column());
      if (entry.kind() == Kind.IMPUTED) {
        numbers[i] = FeatureReader.NumberColumn.of(schema, indexes[i]);
      }
    }
    Kind[] kinds = entries.stream().map(Entry::kind).toArray(Kind[]::new);
    double[] constants = entries.stream().mapToDouble(Entry::value).toArray();
    List<Map<String, Integer>> labelIndexes = new ArrayList<>();
    int[] unknown = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Map<String, Integer> index = new HashMap<>();
      String[] labels = entries.get(i).labels();
      if (labels != null) {
        for (int l = 0; l < labels.length; l++) {
          index.put(labels[l], l);
        }
        unknown[i] = labels.length;
      }
      labelIndexes.add(index);
    }
    return Optional.of(new Reader(indexes, numbers, kinds, constants, labelIndexes, unknown));
  }

  /** Types whose Spark cast to double is the Java widening the reader does. */
  private static boolean exactlyCastToDouble(DataType type) {
    return type instanceof DoubleType
        || type instanceof FloatType
        || type instanceof LongType
        || type instanceof IntegerType
        || type instanceof ShortType
        || type instanceof ByteType
        || type instanceof BooleanType;
  }

  private static final class Reader extends FeatureReader {
    private static final long serialVersionUID = 1L;

    private final int[] indexes;
    private final NumberColumn[] numbers;
    private final Kind[] kinds;
    private final double[] constants;
    private final List<Map<String, Integer>> labels;
    private final int[] unknown;

    Reader(
        int[] indexes,
        NumberColumn[] numbers,
        Kind[] kinds,
        double[] constants,
        List<Map<String, Integer>> labels,
        int[] unknown) {
      this.indexes = indexes;
      this.numbers = numbers;
      this.kinds = kinds;
      this.constants = constants;
      this.labels = labels;
      this.unknown = unknown;
    }

    @Override
    int width() {
      return indexes.length;
    }

    @Override
    void read(InternalRow row, double[] values, int offset) {
      for (int i = 0; i < indexes.length; i++) {
        double value;
        switch (kinds[i]) {
          case IMPUTED -> {
            double number = numbers[i].read(row);
            value = Double.isNaN(number) ? constants[i] : number;
          }
          case INDEXED -> {
            String label =
                row.isNullAt(indexes[i]) ? null : row.getUTF8String(indexes[i]).toString();
            Integer index = label == null ? null : labels.get(i).get(label);
            value = index == null ? unknown[i] : index;
          }
          default -> value = constants[i];
        }
        values[offset + i] = value;
      }
    }
  }
}
