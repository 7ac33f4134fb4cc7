package io.fraudwatch.models.metrics;

import static io.fraudwatch.models.metrics.RankingMetrics.aucRoc;
import static io.fraudwatch.models.metrics.RankingMetrics.averagePrecision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  private static final boolean F = true;
  private static final boolean G = false;

  @Test
  void perfectAndReversedRankings() {
    double[] scores = {0.1, 0.2, 0.8, 0.9};
    assertThat(aucRoc(scores, new boolean[] {G, G, F, F})).hasValue(1.0);
    assertThat(aucRoc(scores, new boolean[] {F, F, G, G})).hasValue(0.0);
    assertThat(averagePrecision(scores, new boolean[] {G, G, F, F})).hasValue(1.0);
  }

  @Test
  void aucCountsEachMisorderedPair() {
    // pairs (fraud, genuine): (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok -> 3/4
    assertThat(aucRoc(new double[] {0.1, 0.35, 0.4, 0.8}, new boolean[] {G, F, G, F}))
        .hasValue(0.75);
  }

  @Test
  void aucCountsTiesAsHalf() {
    // fraud 0.5 ties genuine 0.5 (1/2), beats genuine 0.2 (1); fraud 0.9 beats both (2) -> 3.5/4
    assertThat(aucRoc(new double[] {0.2, 0.5, 0.5, 0.9}, new boolean[] {G, G, F, F}))
        .hasValue(0.875);
    assertThat(aucRoc(new double[] {0.5, 0.5, 0.5}, new boolean[] {G, F, G})).hasValue(0.5);
  }

  @Test
  void averagePrecisionByHand() {
    // descending: 0.9 F (P=1, R=1/2), 0.7 G, 0.6 F (P=2/3, R=1), 0.1 G -> 1/2*1 + 1/2*2/3 = 5/6
    assertThat(
            averagePrecision(new double[] {0.1, 0.6, 0.7, 0.9}, new boolean[] {G, F, G, F})
                .getAsDouble())
        .isCloseTo(5.0 / 6, within(1e-12));
  }

  @Test
  void averagePrecisionTreatsTiesAsOneThreshold() {
    // 0.9 and 0.9 tie (one F, one G): one threshold with P=1/2, R=1/2; then 0.4 F: P=2/3, R=1 ->
    // 1/4 + 1/3
    assertThat(
            averagePrecision(new double[] {0.9, 0.9, 0.4, 0.1}, new boolean[] {F, G, F, G})
                .getAsDouble())
        .isCloseTo(0.25 + 1.0 / 3, within(1e-12));
  }

  @Test
  void undefinedForASingleClass() {
    double[] scores = {0.1, 0.5, 0.9};
    assertThat(aucRoc(scores, new boolean[] {G, G, G})).isEmpty();
    assertThat(aucRoc(scores, new boolean[] {F, F, F})).isEmpty();
    assertThat(averagePrecision(scores, new boolean[] {G, G, G})).isEmpty();
    assertThat(averagePrecision(scores, new boolean[] {F, F, F})).isEmpty();
    assertThat(aucRoc(new double[0], new boolean[0])).isEmpty();
  }

  @Test
  void refusesMismatchedInputs() {
    assertThatThrownBy(() -> aucRoc(new double[] {0.1}, new boolean[] {F, G}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 scores but 2 labels");
    assertThatThrownBy(() -> averagePrecision(new double[] {Double.NaN, 0.2}, new boolean[] {F, G}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a score is NaN");
  }
}
