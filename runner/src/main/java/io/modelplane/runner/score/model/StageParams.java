package io.modelplane.runner.score.model;

import org.apache.spark.ml.param.Params;

/**
 * A pipeline stage's params, whether the stage was loaded by Spark ({@link #of(Params)}) or read
 * from its saved metadata ({@link SavedPipeline.Stage}): what recognising the stage needs, with
 * Spark's meaning of "set" (given explicitly) and "defined" (set or with a default).
 */
interface StageParams {

  boolean isDefined(String name);

  boolean isSet(String name);

  /** The value as text; "" when the param is undefined or null. */
  String text(String name);

  double number(String name);

  boolean flag(String name);

  String[] texts(String name);

  /** The params of a stage Spark loaded. */
  static StageParams of(Params params) {
    return new StageParams() {
      @Override
      public boolean isDefined(String name) {
        return params.hasParam(name) && params.isDefined(params.getParam(name));
      }

      @Override
      public boolean isSet(String name) {
        return params.hasParam(name) && params.isSet(params.getParam(name));
      }

      @Override
      public String text(String name) {
        Object value = isDefined(name) ? params.getOrDefault(params.getParam(name)) : null;
        return value == null ? "" : value.toString();
      }

      @Override
      public double number(String name) {
        return ((Number) params.getOrDefault(params.getParam(name))).doubleValue();
      }

      @Override
      public boolean flag(String name) {
        return (Boolean) params.getOrDefault(params.getParam(name));
      }

      @Override
      public String[] texts(String name) {
        return (String[]) params.getOrDefault(params.getParam(name));
      }
    };
  }
}
