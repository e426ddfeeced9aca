package io.modelplane.runner.score.model;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A loaded model version that scores rows, whatever format it was logged in. */
public interface ScoringModel {

  /** The input columns the model reads. */
  List<String> featureColumns();

  /**
   * The rows with two columns added: {@code prediction} (double) and {@code probability} (double:
   * the positive class's probability for a binary classifier, the predicted class's for a
   * multi-class one, the outlier score for anomaly detection, null for a regressor).
   */
  Dataset<Row> score(Dataset<Row> rows);

  /** How the model was loaded, for the log: flavor and family. */
  String describe();
}
