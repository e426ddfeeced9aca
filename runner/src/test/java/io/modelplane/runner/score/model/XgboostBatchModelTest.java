package io.modelplane.runner.score.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelplane.runner.score.model.XgboostBatchModel.Output;
import org.junit.jupiter.api.Test;

/** How each kind of booster output becomes {@code prediction} and {@code probability}. */
class XgboostBatchModelTest {

  /** The entity, then prediction and probability (null without one) as the scored row has them. */
  private static Object[] written(Output output, float... predicted) {
    double[] prediction = new double[1];
    double[] probability = new double[1];
    XgboostBatchModel.write(output, predicted, prediction, probability, 0);
    return new Object[] {
      "entity", prediction[0], Double.isNaN(probability[0]) ? null : probability[0]
    };
  }

  @Test
  void binaryProbabilityIsThePositiveClassAndPredictsAboveOneHalf() {
    assertThat(written(Output.BINARY_PROBABILITY, 0.75f)).containsExactly("entity", 1.0, 0.75);
    assertThat(written(Output.BINARY_PROBABILITY, 0.25f)).containsExactly("entity", 0.0, 0.25);
  }

  @Test
  void binaryMarginGoesThroughTheLogisticFunction() {
    Object[] out = written(Output.BINARY_MARGIN, (float) Math.log(3));
    assertThat(out[1]).isEqualTo(1.0);
    assertThat((double) out[2]).isCloseTo(0.75, within(1e-6));
  }

  @Test
  void multiClassPredictsTheMostLikelyClassWithItsProbability() {
    assertThat(written(Output.MULTI_PROBABILITIES, 0.2f, 0.5f, 0.3f)[1]).isEqualTo(1.0);
    assertThat((double) written(Output.MULTI_PROBABILITIES, 0.2f, 0.5f, 0.3f)[2])
        .isCloseTo(0.5, within(1e-6));
    Object[] softmax = written(Output.MULTI_MARGINS, 0f, (float) Math.log(2), (float) Math.log(5));
    assertThat(softmax[1]).isEqualTo(2.0);
    assertThat((double) softmax[2]).isCloseTo(5.0 / 8.0, within(1e-6));
  }

  @Test
  void anyOtherObjectiveGivesTheValueAndNoProbability() {
    assertThat(written(Output.VALUE, 42.5f)).containsExactly("entity", 42.5, null);
  }
}
