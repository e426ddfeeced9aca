package io.modelplane.runner.score.model;

import com.microsoft.azure.synapse.ml.lightgbm.booster.LightGBMBooster;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.unsafe.Platform;

/**
 * A LightGBM booster (its text model, loaded through SynapseML's {@code LightGBMBooster})
 * predicting a batch with one {@code LGBM_BoosterPredictForMat} call over a row-major native
 * matrix, one thread: SynapseML's model transform calls LightGBM once per row and output (raw
 * score, probability), through JNI, and that was nine tenths of its scoring time. The batch goes in
 * and out of native memory in one copy each, and a classifier is predicted once (the normal output;
 * the raw scores only for a batch with a row at a tie).
 *
 * <p>Outputs as SynapseML's models give them: a classifier predicts the class of the largest raw
 * score (binary: raw score > 0) and its probability is LightGBM's normal output (binary: the
 * positive class's; two classes: the second's; more: the largest); anything else predicts
 * LightGBM's normal output and has no probability.
 */
final class LightgbmBatchModel implements BatchModel {

  private final LightGBMBooster booster;
  private final SWIGTYPE_p_void handle;
  private final boolean classifier;
  private final int classes;
  private final int startIteration;
  private final int numIterations;
  private final String parameters;
  private final SWIGTYPE_p_double data;
  private final SWIGTYPE_p_double out;
  private final SWIGTYPE_p_long_long outLength;
  private final long dataAddress;
  private final long outAddress;
  private final double[] raw;
  private final double[] normal;

  private LightgbmBatchModel(
      String model,
      boolean classifier,
      int startIteration,
      int numIterations,
      boolean disableShapeCheck,
      int width) {
    this.booster = new LightGBMBooster(model);
    this.handle = booster.boosterHandler().boosterPtr();
    this.classifier = classifier;
    this.classes = booster.numClasses();
    this.startIteration = startIteration;
    this.numIterations = numIterations;
    this.parameters = "num_threads=1 predict_disable_shape_check=" + disableShapeCheck;
    this.data = lightgbmlib.new_doubleArray((long) BatchPredictions.BATCH_ROWS * width);
    this.out = lightgbmlib.new_doubleArray((long) BatchPredictions.BATCH_ROWS * classes);
    this.outLength = lightgbmlib.new_int64_tp();
    this.dataAddress = NativeAddress.of(data);
    this.outAddress = NativeAddress.of(out);
    this.raw = new double[BatchPredictions.BATCH_ROWS * classes];
    this.normal = new double[BatchPredictions.BATCH_ROWS * classes];
  }

  /**
   * Opens the broadcast model text on the executor.
   *
   * @param numIterations as SynapseML's {@code numIterations} (-1: all)
   * @param width the features a row gives
   */
  static BatchModel.Loader loader(
      Broadcast<String> model,
      boolean classifier,
      int startIteration,
      int numIterations,
      boolean disableShapeCheck,
      int width) {
    return new BatchModel.Loader() {
      private static final long serialVersionUID = 1L;

      @Override
      public BatchModel open() {
        return new LightgbmBatchModel(
            model.value(), classifier, startIteration, numIterations, disableShapeCheck, width);
      }

      @Override
      public boolean hasProbability() {
        return classifier;
      }
    };
  }

  @Override
  public void predict(
      double[] values, int rows, int width, double[] prediction, double[] probability) {
    Platform.copyMemory(
        values,
        Platform.DOUBLE_ARRAY_OFFSET,
        null,
        dataAddress,
        (long) rows * width * Double.BYTES);
    run(rows, width, lightgbmlibConstants.C_API_PREDICT_NORMAL, normal);
    if (!classifier) {
      for (int r = 0; r < rows; r++) {
        prediction[r] = normal[r * classes];
      }
      return;
    }
    // The class follows from the normal output alone (a sigmoid or softmax of the raw scores,
    // both monotonic) unless it is exactly at a tie; then the raw scores decide, as before.
    if (!classesFromNormal(rows, prediction)) {
      run(rows, width, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE, raw);
      classesFromRaw(rows, prediction);
    }
    for (int r = 0; r < rows; r++) {
      int at = r * classes;
      if (classes == 1) {
        probability[r] = normal[at];
      } else if (classes == 2) {
        probability[r] = normal[at + 1];
      } else {
        double highest = normal[at];
        for (int k = 1; k < classes; k++) {
          highest = Math.max(highest, normal[at + k]);
        }
        probability[r] = highest;
      }
    }
  }

  /**
   * The class of the largest raw score, read from the normal output: binary, the raw score is
   * positive exactly when the probability is above one half (below: not positive); more classes, a
   * strictly largest probability is the strictly largest raw score. False when a row is at a tie
   * (one half, equal largest probabilities, NaN): its raw scores are needed.
   */
  private boolean classesFromNormal(int rows, double[] prediction) {
    for (int r = 0; r < rows; r++) {
      int at = r * classes;
      if (classes == 1) {
        double p = normal[at];
        if (p > 0.5) {
          prediction[r] = 1.0;
        } else if (p < 0.5) {
          prediction[r] = 0.0;
        } else {
          return false;
        }
      } else {
        int best = 0;
        boolean tie = Double.isNaN(normal[at]);
        for (int k = 1; k < classes; k++) {
          double p = normal[at + k];
          if (p > normal[at + best]) {
            best = k;
            tie = false;
          } else if (!(p < normal[at + best])) {
            tie = true;
          }
        }
        if (tie) {
          return false;
        }
        prediction[r] = best;
      }
    }
    return true;
  }

  /** The class of the largest raw score (binary: the raw score is positive). */
  private void classesFromRaw(int rows, double[] prediction) {
    for (int r = 0; r < rows; r++) {
      int at = r * classes;
      if (classes == 1) {
        prediction[r] = raw[at] > -raw[at] ? 1.0 : 0.0;
      } else {
        int best = 0;
        for (int k = 1; k < classes; k++) {
          if (raw[at + k] > raw[at + best]) {
            best = k;
          }
        }
        prediction[r] = best;
      }
    }
  }

  private void run(int rows, int width, int type, double[] into) {
    int code =
        lightgbmlib.LGBM_BoosterPredictForMat(
            handle,
            lightgbmlib.double_to_voidp_ptr(data),
            lightgbmlibConstants.C_API_DTYPE_FLOAT64,
            rows,
            width,
            1,
            type,
            startIteration,
            numIterations,
            parameters,
            outLength,
            out);
    if (code != 0) {
      throw new IllegalStateException(
          "LightGBM prediction failed: " + lightgbmlib.LGBM_GetLastError());
    }
    Platform.copyMemory(
        null, outAddress, into, Platform.DOUBLE_ARRAY_OFFSET, (long) rows * classes * Double.BYTES);
  }

  /** The native address behind a SWIG pointer (its protected accessor, reached as a subclass). */
  private static final class NativeAddress extends SWIGTYPE_p_double {
    private NativeAddress() {}

    static long of(SWIGTYPE_p_double pointer) {
      return getCPtr(pointer);
    }
  }

  @Override
  public void close() {
    lightgbmlib.delete_doubleArray(data);
    lightgbmlib.delete_doubleArray(out);
    lightgbmlib.delete_int64_tp(outLength);
    booster.freeNativeMemory();
  }
}
