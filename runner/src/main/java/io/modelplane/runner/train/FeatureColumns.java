package io.modelplane.runner.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The input columns the model uses, by how they are encoded: numeric and boolean columns are cast
 * to double and imputed with the median, string columns are indexed (unseen and missing values get
 * an index of their own). {@code skipped} lists columns left out and why.
 */
record FeatureColumns(List<String> numeric, List<String> strings, List<String> skipped) {

  /** Every feature column, numeric first: the order the pipeline expects them in. */
  List<String> all() {
    List<String> all = new ArrayList<>(numeric);
    all.addAll(strings);
    return all;
  }
}
