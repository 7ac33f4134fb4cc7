package io.fraudwatch.models.online;

import static io.fraudwatch.models.online.Examples.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.metrics.MetricNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialWindowTest {

  @Test
  void metricsOfLearnerAndChampionOnTheSameLabels() {
    PrequentialWindow window = new PrequentialWindow(10);
    // champion ranks perfectly; the learner puts genuine g1 (0.5) above fraud f2 (0.4)
    window.record(scored("f1", true, 0.8, 0), 0.9);
    window.record(scored("g1", false, 0.2, 0), 0.5);
    window.record(scored("f2", true, 0.7, 0), 0.4);
    window.record(scored("g2", false, 0.3, 0), 0.1);

    PrequentialWindow.Metrics m = window.metrics();

    assertThat(m.labels()).isEqualTo(4);
    assertThat(m.frauds()).isEqualTo(2);
    // learner: 3 of 4 fraud/genuine pairs ordered right; precision 1/1 at f1 and 2/3 at f2
    assertThat(m.learnerAucRoc().getAsDouble()).isCloseTo(0.75, within(1e-12));
    assertThat(m.learnerAveragePrecision().getAsDouble())
        .isCloseTo((1 + 2 / 3.0) / 2, within(1e-12));
    assertThat(m.championAucRoc().getAsDouble()).isEqualTo(1.0);
    assertThat(m.championAveragePrecision().getAsDouble()).isEqualTo(1.0);
    assertThat(m.asVersionMetrics())
        .containsEntry(MetricNames.PREQUENTIAL_LABELS, 4.0)
        .containsEntry(MetricNames.PREQUENTIAL_FRAUDS, 2.0)
        .containsEntry(MetricNames.PREQUENTIAL_AUC_ROC, m.learnerAucRoc().getAsDouble())
        .containsEntry(MetricNames.PREQUENTIAL_CHAMPION_AVERAGE_PRECISION, 1.0);
  }

  @Test
  void keepsOnlyTheMostRecentExamples() {
    PrequentialWindow window = new PrequentialWindow(2);
    window.record(scored("old-fraud", true, 0.9, 0), 0.9);
    window.record(scored("g", false, 0.1, 0), 0.1);
    window.record(scored("f", true, 0.05, 0), 0.6);

    PrequentialWindow.Metrics m = window.metrics();

    assertThat(m.labels()).isEqualTo(2);
    assertThat(m.frauds()).isEqualTo(1);
    assertThat(m.championAucRoc().getAsDouble()).isEqualTo(0.0);
    assertThat(m.learnerAucRoc().getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void metricsAreUndefinedAndLeftOutWhileTheWindowHoldsOneClass() {
    PrequentialWindow window = new PrequentialWindow(5);
    window.record(scored("g", false, 0.1, 0), 0.2);

    PrequentialWindow.Metrics m = window.metrics();

    assertThat(m.learnerAucRoc()).isEmpty();
    assertThat(m.championAveragePrecision()).isEmpty();
    assertThat(m.asVersionMetrics())
        .containsOnlyKeys(MetricNames.PREQUENTIAL_LABELS, MetricNames.PREQUENTIAL_FRAUDS);
  }

  @Test
  void theLearnerScoresABatchWithTheWeightsItHadBeforeTheBatch() {
    Standardisation std = new Standardisation(new double[] {1}, new double[] {2});
    PrequentialWindow window = new PrequentialWindow(5);
    LabelledExample fraud = scored("f", true, 0.5, 5); // standardised 2
    LabelledExample genuine = scored("g", false, 0.5, -1); // standardised -1

    window.recordBeforeTraining(List.of(fraud, genuine), new double[] {1.5, -0.5}, std);

    assertThat(PrequentialWindow.learnerScore(new double[] {1.5, -0.5}, std, fraud))
        .isCloseTo(1 / (1 + Math.exp(-(1.5 * 2 - 0.5))), within(1e-12));
    assertThat(window.metrics().learnerAucRoc().getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void clearedWindowJudgesOnlyWhatComesAfter() {
    PrequentialWindow w = new PrequentialWindow(10);
    w.record(Examples.scored("a", true, 0.9, 1.0), 0.1);
    w.clear();

    assertThat(w.size()).isZero();
    assertThat(w.metrics().labels()).isZero();
  }
}
