package io.fraudwatch.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdChoiceTest {

  private static final boolean F = true;
  private static final boolean G = false;

  @Test
  void picksTheScoreWithTheBestF1() {
    // t=0.9: P 1, R 1/2, F1 2/3; t=0.8: P 1/2, R 1/2, F1 1/2; t=0.7: P 2/3, R 1, F1 4/5; t=0.1: P
    // 1/2, R 1, F1 2/3
    ThresholdChoice.Choice c =
        ThresholdChoice.bestF1(new double[] {0.1, 0.7, 0.8, 0.9}, new boolean[] {G, F, G, F})
            .orElseThrow();
    assertThat(c.threshold()).isEqualTo(0.7);
    assertThat(c.precision()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(c.recall()).isEqualTo(1.0);
    assertThat(c.f1()).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void tiedScoresAlertTogether() {
    // 0.9 (F and G together): P 1/2, R 1/2, F1 1/2; 0.2: P 2/3, R 1, F1 4/5
    ThresholdChoice.Choice c =
        ThresholdChoice.bestF1(new double[] {0.9, 0.9, 0.2}, new boolean[] {F, G, F}).orElseThrow();
    assertThat(c.threshold()).isEqualTo(0.2);
    assertThat(c.f1()).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void undefinedWithoutFraud() {
    assertThat(ThresholdChoice.bestF1(new double[] {0.1, 0.9}, new boolean[] {G, G})).isEmpty();
  }
}
