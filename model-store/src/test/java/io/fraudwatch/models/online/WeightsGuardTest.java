package io.fraudwatch.models.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightsGuardTest {

  private final WeightsGuard guard = new WeightsGuard(3, 10, 12);

  @Test
  void saneWeightsPass() {
    assertThat(guard.problems(new double[] {1.5, -9.9, -3})).isEmpty();
  }

  @Test
  void nonFiniteWeightsAreNamed() {
    assertThat(guard.problems(new double[] {Double.NaN, 1, Double.NEGATIVE_INFINITY}))
        .containsExactly("weight 0 is NaN", "weight 2 is -Infinity");
  }

  @Test
  void aWeightBeyondTheBoundIsNamed() {
    assertThat(guard.problems(new double[] {0, -10.5, 1}))
        .containsExactly("weight 1 is -10.50, beyond ±10.00");
  }

  @Test
  void aNormBeyondTheBoundIsReportedEvenWhenEachWeightIsWithinIts() {
    // sqrt(3 * 9^2) = 15.6 > 12
    assertThat(guard.problems(new double[] {9, 9, 9}))
        .containsExactly("L2 norm 15.59 exceeds 12.00");
  }

  @Test
  void theWrongNumberOfWeightsIsReported() {
    assertThat(guard.problems(new double[] {1, 1}))
        .containsExactly("expected 3 weights (features + bias), got 2");
  }
}
