package io.modelplane.runner.score.model;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.spark.broadcast.Broadcast;

/**
 * An XGBoost booster predicting a batch with one native {@code inplace_predict} over a dense {@code
 * float[]} (no DMatrix), {@code nthread=1}: Spark already runs one task per core. The objective
 * decides how its output becomes {@code prediction} and {@code probability} ({@link Output}).
 */
final class XgboostBatchModel implements BatchModel {

  /** How the booster's output becomes {@code prediction} and {@code probability}. */
  enum Output {
    /** {@code binary:logistic}: the positive class's probability; prediction = p > 0.5. */
    BINARY_PROBABILITY,
    /** {@code binary:logitraw}: a margin, turned into a probability by the logistic function. */
    BINARY_MARGIN,
    /** {@code multi:softprob}: one probability per class; prediction = the most likely class. */
    MULTI_PROBABILITIES,
    /** {@code multi:softmax}: margins per class, normalized by softmax like {@code softprob}. */
    MULTI_MARGINS,
    /** Anything else (regression, ranking, counts): the booster's value, no probability. */
    VALUE;

    boolean margins() {
      return this == BINARY_MARGIN || this == MULTI_MARGINS;
    }

    /** The output for a booster objective ({@code learner.objective.name}). */
    static Output forObjective(String objective) {
      if (objective.startsWith("binary:logistic")) {
        return BINARY_PROBABILITY;
      }
      if (objective.startsWith("binary:logitraw")) {
        return BINARY_MARGIN;
      }
      if (objective.startsWith("multi:softmax")) {
        return MULTI_MARGINS;
      }
      if (objective.startsWith("multi:")) {
        return MULTI_PROBABILITIES;
      }
      return VALUE;
    }
  }

  private final Booster booster;
  private final Output output;
  private float[] floats = new float[0];

  private XgboostBatchModel(Booster booster, Output output) {
    this.booster = booster;
    this.output = output;
  }

  /** Opens the broadcast booster (UBJ bytes) on the executor. */
  static BatchModel.Loader loader(Broadcast<byte[]> booster, Output output) {
    return new BatchModel.Loader() {
      private static final long serialVersionUID = 1L;

      @Override
      public BatchModel open() {
        try {
          Booster model = XGBoost.loadModel(booster.value());
          model.setParam("nthread", 1);
          return new XgboostBatchModel(model, output);
        } catch (XGBoostError | java.io.IOException e) {
          throw new IllegalStateException("XGBoost cannot load the booster: " + e.getMessage(), e);
        }
      }

      @Override
      public boolean hasProbability() {
        return output != Output.VALUE;
      }
    };
  }

  @Override
  public void predict(
      double[] values, int rows, int width, double[] prediction, double[] probability) {
    int count = rows * width;
    if (floats.length < count) {
      floats = new float[values.length];
    }
    for (int i = 0; i < count; i++) {
      floats[i] = (float) values[i];
    }
    float[][] predicted;
    try {
      predicted =
          booster.inplace_predict(
              floats,
              rows,
              width,
              Float.NaN,
              new int[] {0, 0},
              output.margins() ? Booster.PredictionType.kMargin : Booster.PredictionType.kValue,
              null);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
    for (int i = 0; i < rows; i++) {
      write(output, predicted[i], prediction, probability, i);
    }
  }

  /** Sets {@code prediction[at]} and {@code probability[at]} (NaN without a probability). */
  static void write(
      Output output, float[] predicted, double[] prediction, double[] probability, int at) {
    switch (output) {
      case BINARY_PROBABILITY, BINARY_MARGIN -> {
        double p =
            output == Output.BINARY_MARGIN
                ? 1 / (1 + Math.exp(-predicted[0]))
                : (double) predicted[0];
        prediction[at] = p > 0.5 ? 1.0 : 0.0;
        probability[at] = p;
      }
      case MULTI_PROBABILITIES, MULTI_MARGINS -> {
        int best = 0;
        for (int k = 1; k < predicted.length; k++) {
          if (predicted[k] > predicted[best]) {
            best = k;
          }
        }
        double p;
        if (output == Output.MULTI_MARGINS) {
          double sum = 0;
          for (float margin : predicted) {
            sum += Math.exp(margin - predicted[best]);
          }
          p = 1 / sum;
        } else {
          p = predicted[best];
        }
        prediction[at] = best;
        probability[at] = p;
      }
      case VALUE -> {
        prediction[at] = predicted[0];
        probability[at] = Double.NaN;
      }
    }
  }

  @Override
  public void close() {
    booster.dispose();
  }
}
