package io.modelplane.runner.score.model;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The one-row Parquet data Spark ML saves for a fitted feature stage, read with Parquet's own
 * reader (no Spark job): an imputer's surrogates and a string indexer's labels, exactly as stored.
 * Spark writes it with {@code repartition(1)}, so the row is the first of the one data file;
 * anything else (several files, no row, another layout) is an {@link IOException}, and the caller
 * loads the pipeline with Spark instead.
 */
final class StageData {

  private StageData() {}

  /** The surrogate of each input column (one double column per input in the row). */
  static double[] surrogates(FileSystem fs, List<Path> files, String[] inputs) throws IOException {
    Group row = onlyRow(fs, files);
    double[] values = new double[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      if (row.getFieldRepetitionCount(inputs[i]) != 1) {
        throw new IOException("the imputer saved no surrogate for " + inputs[i]);
      }
      values[i] = row.getDouble(inputs[i], 0);
    }
    return values;
  }

  /**
   * {@code labelsArray}: an array of string arrays, in Parquet's three-level list layout that Spark
   * writes ({@code <list> / list / element}).
   */
  static String[][] labelsArray(FileSystem fs, List<Path> files) throws IOException {
    Group row = onlyRow(fs, files);
    try {
      Group outer = row.getGroup("labelsArray", 0);
      String[][] labels = new String[outer.getFieldRepetitionCount("list")][];
      for (int i = 0; i < labels.length; i++) {
        Group inner = outer.getGroup("list", i).getGroup("element", 0);
        labels[i] = new String[inner.getFieldRepetitionCount("list")];
        for (int l = 0; l < labels[i].length; l++) {
          labels[i][l] = inner.getGroup("list", l).getString("element", 0);
        }
      }
      return labels;
    } catch (RuntimeException e) {
      throw new IOException("the string indexer's labels are not laid out as expected: " + e, e);
    }
  }

  private static Group onlyRow(FileSystem fs, List<Path> files) throws IOException {
    if (files.size() != 1) {
      throw new IOException("expected one data file, found " + files);
    }
    try (ParquetReader<Group> reader =
        ParquetReader.<Group>builder(new GroupReadSupport(), files.get(0))
            .withConf(fs.getConf())
            .build()) {
      Group row = reader.read();
      if (row == null || reader.read() != null) {
        throw new IOException("expected one row in " + files.get(0));
      }
      return row;
    }
  }
}
