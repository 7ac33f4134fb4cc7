package io.fraudwatch.models.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.FeatureSchema;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.scoring.LinearScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingDistributionTest {
  private static final List<String> NAMES = List.of("amount", "night");

  private static List<double[]> rows(int n) {
    SplittableRandom r = new SplittableRandom(1);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new double[] {r.nextDouble() * 100, r.nextInt(10) < 2 ? 1 : 0});
    }
    return rows;
  }

  private static LinearScorer scorer(double amountWeight) {
    return new LinearScorer(
        1,
        new FeatureSchema(NAMES),
        new Standardisation(new double[] {0, 0}, new double[] {1, 1}),
        new double[] {amountWeight, 0, -5},
        0.5);
  }

  @Test
  void fitsEveryFeatureAndTheScoreAndKeepsASeededSample() {
    List<double[]> rows = rows(10_000);
    LinearScorer scorer = scorer(0.05);
    double[] scores = rows.stream().mapToDouble(scorer::probability).toArray();

    TrainingDistribution d = TrainingDistribution.fit(NAMES, rows, scores, "test fit");

    assertThat(d.rows()).isEqualTo(10_000);
    assertThat(d.feature("amount").size()).isEqualTo(10);
    assertThat(d.feature("night").edges()).containsExactly(1);
    assertThat(d.score().total()).isEqualTo(10_000);
    assertThat(d.sample()).hasSize(TrainingDistribution.SAMPLE_ROWS);
    assertThat(TrainingDistribution.fit(NAMES, rows, scores, "test fit")).isEqualTo(d);
  }

  @Test
  void aDerivedVersionKeepsTheFeatureBinsAndRescoresTheSample() {
    List<double[]> rows = rows(10_000);
    LinearScorer parent = scorer(0.05);
    TrainingDistribution d =
        TrainingDistribution.fit(
            NAMES, rows, rows.stream().mapToDouble(parent::probability).toArray(), "parent");

    TrainingDistribution child = d.forScorer(scorer(0.02), "from v1");

    assertThat(child.features()).isEqualTo(d.features());
    assertThat(child.source()).isEqualTo("from v1");
    assertThat(child.score().total()).isEqualTo(TrainingDistribution.SAMPLE_ROWS);
    // scores of the weaker amount weight are lower: its deciles sit below the parent's
    assertThat(child.score().edges()[4]).isLessThan(d.score().edges()[4]);
    // the sample scored with the parent's own weights gives the parent's score distribution, up to
    // sampling error
    TrainingDistribution same = d.forScorer(parent, "same weights");
    long[] parentCounts =
        same.score().count(rows.stream().mapToDouble(parent::probability).toArray());
    assertThat(
            Psi.of(
                    parentCounts,
                    d.score().count(rows.stream().mapToDouble(parent::probability).toArray()))
                .getAsDouble())
        .isLessThan(0.01);
  }
}
