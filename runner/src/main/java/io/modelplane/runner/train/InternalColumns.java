package io.modelplane.runner.train;

/**
 * Names of the columns {@code train} adds. The {@code __mp_} prefix keeps them apart from a table's
 * own columns; feature columns that start with it are refused.
 */
final class InternalColumns {
  static final String PREFIX = "__mp_";
  static final String LABEL = PREFIX + "label";
  static final String GROUP = PREFIX + "group";
  static final String FEATURES = PREFIX + "features";
  static final String DENSE_FEATURES = PREFIX + "dense_features";
  static final String ONE = PREFIX + "one";
  static final String EARLY_STOPPING = PREFIX + "early_stopping";
  static final String FOLD = PREFIX + "fold";

  private InternalColumns() {}

  static String numeric(int index) {
    return PREFIX + "num_" + index;
  }

  static String imputed(int index) {
    return PREFIX + "imp_" + index;
  }

  static String indexed(int index) {
    return PREFIX + "idx_" + index;
  }
}
