package io.fraudwatch.models.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.Standardisation;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearScorerTest {

  private static final FeatureSchema SCHEMA = new FeatureSchema(List.of("a", "b", "c", "d"));
  // means 0, stds 1 except b (std 2): standardised = raw except b/2
  private static final Standardisation STD =
      new Standardisation(new double[] {0, 0, 0, 0}, new double[] {1, 2, 1, 1});

  @Test
  void scoreIsTheSigmoidOfTheMarginIncludingTheBias() {
    LinearScorer scorer = new LinearScorer(7, SCHEMA, STD, new double[] {1, 1, 0, 0, -1}, 0.5);

    LinearScorer.Result r = scorer.score(new double[] {2, 4, 9, 9});

    // margin = 1*2 + 1*(4/2) + 0 + 0 - 1 = 3
    assertThat(r.score()).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-12));
    assertThat(r.alert()).isTrue();
    assertThat(scorer.probability(new double[] {2, 4, 9, 9})).isEqualTo(r.score());
  }

  @Test
  void alertsExactlyAtTheThreshold() {
    LinearScorer scorer = new LinearScorer(1, SCHEMA, STD, new double[] {0, 0, 0, 0, 0}, 0.5);

    assertThat(scorer.score(new double[] {1, 1, 1, 1}).alert()).isTrue(); // sigmoid(0) = 0.5
  }

  @Test
  void reasonsAreTheThreeLargestContributionsInOrder() {
    LinearScorer scorer = new LinearScorer(1, SCHEMA, STD, new double[] {1, 1, 1, 1, 0}, 0.9);

    LinearScorer.Result r = scorer.score(new double[] {0.5, 6, -2, 1});

    // contributions: a 0.5, b 3, c -2, d 1
    assertThat(r.reasons()).extracting(LinearScorer.Reason::feature).containsExactly("b", "d", "a");
    assertThat(r.reasons().get(0).contribution()).isEqualTo(3.0);
  }

  @Test
  void extremeMarginsStayFinite() {
    LinearScorer scorer = new LinearScorer(1, SCHEMA, STD, new double[] {1000, 0, 0, 0, 0}, 0.5);

    assertThat(scorer.score(new double[] {10, 0, 0, 0}).score()).isEqualTo(1.0);
    assertThat(scorer.score(new double[] {-10, 0, 0, 0}).score()).isEqualTo(0.0);
  }

  @Test
  void probabilityOfScoresWeightsThatAreNotAVersionYet() {
    LinearScorer scorer = new LinearScorer(1, SCHEMA, STD, new double[] {1, 1, 0, 0, -1}, 0.5);
    double[] raw = {2, 4, 9, 9};

    assertThat(LinearScorer.probabilityOf(new double[] {1, 1, 0, 0, -1}, STD.modelInput(raw)))
        .isEqualTo(scorer.probability(raw));
    assertThatThrownBy(() -> LinearScorer.probabilityOf(new double[] {1, 1}, STD.modelInput(raw)))
        .hasMessageContaining("2 weights for a model input of 5 values");
  }

  @Test
  void weightsMustCoverFeaturesAndBias() {
    assertThatThrownBy(() -> new LinearScorer(1, SCHEMA, STD, new double[] {1, 1, 1, 1}, 0.5))
        .hasMessageContaining("expected 5 weights");
  }
}
