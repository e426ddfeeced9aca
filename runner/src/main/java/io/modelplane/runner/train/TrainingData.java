package io.modelplane.runner.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.modelplane.runner.RunnerException;
import io.modelplane.runner.iceberg.IcebergTables;
import io.modelplane.runner.iceberg.TableName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/**
 * The job's table, checked and split: the label as a double in {@link InternalColumns#LABEL}
 * (classes indexed 0..k-1), the ranking group as an integer in {@link InternalColumns#GROUP}, and a
 * fixed split into training (80%) and validation (20%) by a hash of each row (of each group for
 * ranking), so the same snapshot read the same way always splits the same way.
 *
 * @param labelValues the class each label index stands for (classification), in index order
 */
record TrainingData(
    TableName table,
    long snapshotId,
    Dataset<Row> train,
    Dataset<Row> validation,
    long trainRows,
    long validationRows,
    FeatureColumns features,
    List<String> labelValues) {

  static final int MIN_ROWS = 50;
  static final int MIN_VALIDATION_ROWS = 10;
  static final int MAX_CLASSES = 100;
  static final int MAX_RELEVANCE = 31;
  static final long SPLIT_SEED_BUCKETS = 100;
  static final long VALIDATION_PERCENT = 20;

  static TrainingData load(IcebergTables tables, TableName table, TrainingJob job) {
    long snapshotId =
        tables
            .currentSnapshotId(table)
            .orElseThrow(
                () -> new RunnerException("table " + table + " has no rows (no snapshot)"));
    Dataset<Row> rows = tables.read(table, Optional.of(snapshotId));
    Map<String, DataType> types = new LinkedHashMap<>();
    for (StructField field : rows.schema().fields()) {
      types.put(field.name(), field.dataType());
    }
    ProblemType problem = job.problemType();
    Optional<String> label = job.labelColumn();
    if (label.isEmpty() && problem != ProblemType.ANOMALY_DETECTION) {
      throw new RunnerException("label_column is required for problem_type " + problem.value());
    }
    label.ifPresent(name -> requireColumn(types, name, "label_column", table));
    Optional<String> group = job.groupColumn();
    if (problem == ProblemType.RANKING && group.isEmpty()) {
      throw new RunnerException("group_column is required for problem_type ranking");
    }
    group.ifPresent(name -> requireColumn(types, name, "group_column", table));

    List<String> reserved = new ArrayList<>();
    label.ifPresent(reserved::add);
    group.ifPresent(reserved::add);
    FeatureColumns features = featureColumns(types, job.featureColumns(), reserved, table);

    if (label.isPresent()) {
      rows = rows.filter(col(label.get()).isNotNull());
    }
    List<String> labelValues = List.of();
    if (label.isPresent()) {
      String name = label.get();
      labelValues =
          problem.isClassification() ? classes(rows, name, types.get(name), problem) : List.of();
      rows =
          rows.withColumn(
              InternalColumns.LABEL,
              labelColumn(rows, name, types.get(name), problem, labelValues));
    }
    if (group.isPresent()) {
      rows = rows.withColumn(InternalColumns.GROUP, groupIndex(group.get()));
    }
    features = withoutEmptyColumns(rows, features);

    Column splitKey =
        group.isPresent()
            ? xxhash64(col(group.get()))
            : xxhash64(
                Stream.concat(
                        Arrays.stream(rows.columns()).map(c -> col(FeaturePipeline.quote(c))),
                        // The row's position too: equal rows must not all land on one side.
                        Stream.of(monotonically_increasing_id()))
                    .toArray(Column[]::new));
    String split = InternalColumns.PREFIX + "validation";
    Dataset<Row> marked =
        rows.withColumn(split, pmod(splitKey, lit(SPLIT_SEED_BUCKETS)).lt(VALIDATION_PERCENT))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> train =
        marked.filter(col(split).unary_$bang()).drop(split).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> held =
        marked.filter(col(split)).drop(split).persist(StorageLevel.MEMORY_AND_DISK());
    long trainRows = train.count();
    long validationRows = held.count();
    marked.unpersist();
    if (trainRows + validationRows < MIN_ROWS || validationRows < MIN_VALIDATION_ROWS) {
      throw new RunnerException(
          "table "
              + table
              + " has "
              + (trainRows + validationRows)
              + " usable rows"
              + label.map(name -> " (rows with a non-null " + name + ")").orElse("")
              + "; training needs at least "
              + MIN_ROWS
              + (group.isPresent() ? " spread over enough groups for a validation set" : ""));
    }
    if (problem.isClassification()) {
      requireEveryClass(train, "training", labelValues, label.get());
      requireEveryClass(held, "validation", labelValues, label.get());
    }
    return new TrainingData(
        table, snapshotId, train, held, trainRows, validationRows, features, labelValues);
  }

  boolean hasLabel() {
    return Arrays.asList(train.columns()).contains(InternalColumns.LABEL);
  }

  void release() {
    train.unpersist();
    validation.unpersist();
  }

  private static void requireColumn(
      Map<String, DataType> types, String column, String field, TableName table) {
    if (!types.containsKey(column)) {
      throw new RunnerException(
          field
              + " '"
              + column
              + "' is not a column of table "
              + table
              + " (columns: "
              + String.join(", ", types.keySet())
              + ")");
    }
  }

  private static FeatureColumns featureColumns(
      Map<String, DataType> types,
      Optional<List<String>> requested,
      List<String> reserved,
      TableName table) {
    List<String> numeric = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> candidates =
        requested.orElseGet(
            () -> types.keySet().stream().filter(name -> !reserved.contains(name)).toList());
    for (String column : candidates) {
      if (!types.containsKey(column)) {
        throw new RunnerException(
            "feature column '" + column + "' is not a column of table " + table);
      }
      if (reserved.contains(column)) {
        throw new RunnerException(
            "feature column '"
                + column
                + "' is the label or group column; leave it out of feature_columns");
      }
      if (column.startsWith(InternalColumns.PREFIX)) {
        throw new RunnerException(
            "column '" + column + "' uses the reserved prefix " + InternalColumns.PREFIX);
      }
      DataType type = types.get(column);
      if (type instanceof NumericType || type instanceof BooleanType) {
        numeric.add(column);
      } else if (type instanceof StringType) {
        strings.add(column);
      } else if (requested.isPresent()) {
        throw new RunnerException(
            "feature column '"
                + column
                + "' has type "
                + type.simpleString()
                + "; train takes numeric, boolean and string columns");
      } else {
        skipped.add(column + " (" + type.simpleString() + ")");
      }
    }
    if (numeric.isEmpty() && strings.isEmpty()) {
      throw new RunnerException(
          "table " + table + " has no numeric, boolean or string feature column");
    }
    return new FeatureColumns(numeric, strings, skipped);
  }

  /** Drops columns with no value at all: nothing to learn, and the imputer has no median. */
  private static FeatureColumns withoutEmptyColumns(Dataset<Row> rows, FeatureColumns features) {
    List<String> all = features.all();
    Column[] counts =
        all.stream().map(c -> count(col(FeaturePipeline.quote(c)))).toArray(Column[]::new);
    Row row = rows.agg(counts[0], Arrays.copyOfRange(counts, 1, counts.length)).first();
    List<String> numeric = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    List<String> skipped = new ArrayList<>(features.skipped());
    for (int i = 0; i < all.size(); i++) {
      String column = all.get(i);
      if (row.getLong(i) == 0) {
        skipped.add(column + " (no values)");
      } else if (features.numeric().contains(column)) {
        numeric.add(column);
      } else {
        strings.add(column);
      }
    }
    if (numeric.isEmpty() && strings.isEmpty()) {
      throw new RunnerException("every feature column is empty");
    }
    return new FeatureColumns(numeric, strings, skipped);
  }

  private static List<String> classes(
      Dataset<Row> rows, String label, DataType type, ProblemType problem) {
    List<Row> distinct =
        rows.select(col(label).cast("string")).distinct().limit(MAX_CLASSES + 1).collectAsList();
    List<String> values = new ArrayList<>(distinct.stream().map(r -> r.getString(0)).toList());
    if (problem == ProblemType.BINARY_CLASSIFICATION && values.size() != 2) {
      throw new RunnerException(
          "label_column '"
              + label
              + "' has "
              + countText(values.size())
              + " distinct values; binary_classification needs exactly 2");
    }
    if (problem == ProblemType.MULTICLASS_CLASSIFICATION
        && (values.size() < 3 || values.size() > MAX_CLASSES)) {
      throw new RunnerException(
          "label_column '"
              + label
              + "' has "
              + countText(values.size())
              + " distinct values; multiclass_classification needs 3 to "
              + MAX_CLASSES
              + (values.size() == 2 ? " (use binary_classification)" : ""));
    }
    if (type instanceof NumericType) {
      values.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
    } else {
      values.sort(String::compareTo);
    }
    return List.copyOf(values);
  }

  private static String countText(int size) {
    return size > MAX_CLASSES ? "more than " + MAX_CLASSES : String.valueOf(size);
  }

  private static Column labelColumn(
      Dataset<Row> rows, String label, DataType type, ProblemType problem, List<String> classes) {
    if (problem.isClassification()) {
      Column indexed = lit(null).cast("double");
      for (int i = classes.size() - 1; i >= 0; i--) {
        indexed =
            when(col(label).cast("string").equalTo(classes.get(i)), lit((double) i))
                .otherwise(indexed);
      }
      return indexed;
    }
    if (!(type instanceof NumericType || type instanceof BooleanType)) {
      throw new RunnerException(
          "label_column '"
              + label
              + "' has type "
              + type.simpleString()
              + "; "
              + problem.value()
              + " needs a numeric label");
    }
    Column value = col(label).cast("double");
    if (problem == ProblemType.RANKING || problem == ProblemType.ANOMALY_DETECTION) {
      Row range = rows.agg(min(value), max(value)).first();
      double low = range.isNullAt(0) ? 0 : range.getDouble(0);
      double high = range.isNullAt(1) ? 0 : range.getDouble(1);
      long fractional =
          rows.filter(value.notEqual(org.apache.spark.sql.functions.floor(value))).limit(1).count();
      if (problem == ProblemType.RANKING && (low < 0 || high > MAX_RELEVANCE || fractional > 0)) {
        throw new RunnerException(
            "label_column '"
                + label
                + "' must hold relevance grades: whole numbers from 0 to "
                + MAX_RELEVANCE
                + " (found "
                + low
                + " to "
                + high
                + ")");
      }
      if (problem == ProblemType.ANOMALY_DETECTION && (low < 0 || high > 1 || fractional > 0)) {
        throw new RunnerException(
            "label_column '"
                + label
                + "' must be 1 for an outlier and 0 otherwise for anomaly_detection (found "
                + low
                + " to "
                + high
                + ")");
      }
    }
    return value;
  }

  /** Groups as integers (XGBoost's ranker wants an integer group id): a hash of the value. */
  private static Column groupIndex(String group) {
    return xxhash64(col(group)).cast("int");
  }

  private static void requireEveryClass(
      Dataset<Row> rows, String set, List<String> classes, String label) {
    long present = rows.select(InternalColumns.LABEL).distinct().count();
    if (present < classes.size()) {
      throw new RunnerException(
          "label_column '"
              + label
              + "': the "
              + set
              + " set has "
              + present
              + " of the "
              + classes.size()
              + " classes; too few rows of the rarest class");
    }
  }
}
