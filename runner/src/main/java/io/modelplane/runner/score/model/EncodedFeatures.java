package io.modelplane.runner.score.model;

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
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
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

  private final List<Entry> entries;

  private EncodedFeatures(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The features the stages write into {@code featuresColumn}, when they are train's encoding. */
  static Optional<EncodedFeatures> recognise(List<Transformer> stages, String featuresColumn) {
    Map<String, Entry> columns = new HashMap<>();
    Map<String, List<Entry>> vectors = new HashMap<>();
    for (Transformer stage : stages) {
      if (stage instanceof SQLTransformer sql) {
        String statement = sql.getStatement();
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
      } else if (stage instanceof ImputerModel imputer) {
        if (!Double.isNaN(imputer.getMissingValue())) {
          return Optional.empty();
        }
        String[] inputs = imputer.getInputCols();
        String[] outputs = imputer.getOutputCols();
        Row surrogates = imputer.surrogateDF().first();
        for (int i = 0; i < inputs.length; i++) {
          Entry cast = columns.get(inputs[i]);
          if (cast == null || cast.kind() != Kind.CAST) {
            return Optional.empty();
          }
          double surrogate = surrogates.getDouble(surrogates.fieldIndex(inputs[i]));
          columns.put(outputs[i], new Entry(Kind.IMPUTED, cast.column(), surrogate, null));
        }
      } else if (stage instanceof StringIndexerModel indexer) {
        if (!"keep".equals(indexer.getHandleInvalid())) {
          return Optional.empty();
        }
        String[] inputs =
            indexer.isSet(indexer.inputCols())
                ? indexer.getInputCols()
                : new String[] {indexer.getInputCol()};
        String[] outputs =
            indexer.isSet(indexer.outputCols())
                ? indexer.getOutputCols()
                : new String[] {indexer.getOutputCol()};
        String[][] labels = indexer.labelsArray();
        for (int i = 0; i < inputs.length; i++) {
          columns.put(outputs[i], new Entry(Kind.INDEXED, inputs[i], 0, labels[i]));
        }
      } else if (stage instanceof VectorAssembler assembler) {
        if (!"keep".equals(assembler.getHandleInvalid())) {
          return Optional.empty();
        }
        List<Entry> vector = new ArrayList<>();
        for (String input : assembler.getInputCols()) {
          Entry entry = columns.get(input);
          if (entry == null || entry.kind() == Kind.CAST) {
            return Optional.empty();
          }
          vector.add(entry);
        }
        vectors.put(assembler.getOutputCol(), vector);
      } else {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(vectors.get(featuresColumn)).map(EncodedFeatures::new);
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
