package io.fraudwatch.models.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.features.Standardisation;
import io.fraudwatch.models.online.PromotionPolicy.Action;
import io.fraudwatch.models.online.PromotionPolicy.Rule;
import io.fraudwatch.models.scoring.LinearScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {

  private static final PromotionPolicy POLICY =
      new PromotionPolicy(0.005, true, 100, 10, 0.25, Rule.BOTH);
  private static final PromotionPolicy AP_LED =
      new PromotionPolicy(0.005, true, 100, 10, 0.25, Rule.AP_LED);
  private static final WeightsGuard GUARD = new WeightsGuard(3, 20, 30);

  private static PrequentialWindow.Metrics window(
      int labels, int frauds, double auc, double championAuc, double ap, double championAp) {
    return new PrequentialWindow.Metrics(
        labels,
        frauds,
        OptionalDouble.of(auc),
        OptionalDouble.of(ap),
        OptionalDouble.of(championAuc),
        OptionalDouble.of(championAp));
  }

  @Test
  void promotesAClearImprovementOnBothMetrics() {
    PromotionPolicy.Decision d =
        POLICY.decide(window(1000, 40, 0.912, 0.897, 0.61, 0.52), List.of());

    assertThat(d.action()).isEqualTo(Action.PROMOTE_TO_CHAMPION);
    assertThat(d.reason())
        .isEqualTo(
            "auto: AUC 0.912 vs champion 0.897 (+0.015 ≥ margin 0.005),"
                + " AP 0.610 vs champion 0.520 (+0.090 ≥ margin 0.005) on 1000 labels / 40 frauds;"
                + " admitted by rule both (better by the margin on AUC and AP)");
  }

  @Test
  void keepsWhenOneMetricMissesTheMargin() {
    PromotionPolicy.Decision d =
        POLICY.decide(window(1000, 40, 0.912, 0.897, 0.41, 0.52), List.of());

    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason()).startsWith("kept as challenger: AP 0.410 below champion 0.520 (");
  }

  @Test
  void keepsWhenTheGainIsSmallerThanTheMargin() {
    PromotionPolicy.Decision d =
        POLICY.decide(window(1000, 40, 0.900, 0.897, 0.53, 0.52), List.of());

    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason())
        .startsWith("kept as challenger: AUC 0.900 not enough above champion 0.897 (");
  }

  @Test
  void apLedPromotesABetterTopOfTheRankingWhoseAucCannotRiseByTheMargin() {
    // as gradual's versions from v34 (docs/learning.md): AP well above the champion's, AUC barely
    PrequentialWindow.Metrics w = window(1000, 40, 0.902, 0.899, 0.733, 0.715);

    PromotionPolicy.Decision d = AP_LED.decide(w, List.of());

    assertThat(POLICY.decide(w, List.of()).reason())
        .isEqualTo(
            "kept as challenger: AUC 0.902 not enough above champion 0.899"
                + " (rule both, margin 0.005, 1000 labels / 40 frauds)");
    assertThat(d.action()).isEqualTo(Action.PROMOTE_TO_CHAMPION);
    assertThat(d.reason())
        .startsWith("auto: AUC 0.902 vs champion 0.899 (+0.003 < margin 0.005)")
        .endsWith(
            "; admitted by rule ap-led (better by the margin on AP, AUC not below by more than"
                + " the margin)");
  }

  @Test
  void apLedStillPromotesWhenAucIsBelowTheChampionByLessThanTheMargin() {
    assertThat(AP_LED.decide(window(1000, 40, 0.896, 0.900, 0.60, 0.52), List.of()).action())
        .isEqualTo(Action.PROMOTE_TO_CHAMPION);
  }

  @Test
  void apLedKeepsAVersionWhoseAucFallsByMoreThanTheMargin() {
    PromotionPolicy.Decision d =
        AP_LED.decide(window(1000, 40, 0.880, 0.900, 0.70, 0.52), List.of());

    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason())
        .isEqualTo(
            "kept as challenger: AUC 0.880 more than the margin below champion 0.900"
                + " (rule ap-led, margin 0.005, 1000 labels / 40 frauds)");
  }

  @Test
  void apLedKeepsAVersionWhoseApGainIsUnderTheMarginHoweverItsAuc() {
    PromotionPolicy.Decision d =
        AP_LED.decide(window(1000, 40, 0.990, 0.900, 0.523, 0.52), List.of());

    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason())
        .startsWith("kept as challenger: AP 0.523 not enough above champion 0.520");
  }

  @Test
  void apLedKeepsTheOtherRules() {
    assertThat(AP_LED.decide(window(99, 40, 0.99, 0.5, 0.9, 0.1), List.of()).reason())
        .startsWith("kept as challenger: too few labels to judge");
    assertThat(AP_LED.decide(window(1000, 300, 0.99, 0.5, 0.9, 0.1), List.of()).reason())
        .startsWith("kept as challenger: fraud rate 30.0%");
    assertThat(AP_LED.relativeTo(OptionalDouble.of(0.01), 2).rule()).isEqualTo(Rule.AP_LED);
  }

  @Test
  void rulesAreNamedAsInConfig() {
    assertThat(Rule.of("both")).isEqualTo(Rule.BOTH);
    assertThat(Rule.of("ap-led")).isEqualTo(Rule.AP_LED);
    assertThat(Rule.AP_LED.key()).isEqualTo("ap-led");
    assertThatThrownBy(() -> Rule.of("ap"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("promotion rule must be one of both, ap-led; got 'ap'");
  }

  @Test
  void keepsWhenTheWindowHasTooFewLabelsOrFrauds() {
    assertThat(POLICY.decide(window(99, 40, 0.99, 0.5, 0.9, 0.1), List.of()).reason())
        .isEqualTo(
            "kept as challenger: too few labels to judge: 99 labels, 40 frauds in the window (need 100 and 10)");
    assertThat(POLICY.decide(window(1000, 9, 0.99, 0.5, 0.9, 0.1), List.of()).action())
        .isEqualTo(Action.KEEP_AS_CHALLENGER);
  }

  @Test
  void keepsWhenAutoPromotionIsOffButStillRecordsTheComparison() {
    PromotionPolicy manual = new PromotionPolicy(0.005, false, 100, 10, 0.25, Rule.BOTH);

    PromotionPolicy.Decision d = manual.decide(window(1000, 40, 0.99, 0.5, 0.9, 0.1), List.of());

    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason())
        .startsWith("kept as challenger: auto-promotion is off; AUC 0.990 vs champion 0.500");
  }

  @Test
  void keepsWhenTheWeightsFailTheGuardHoweverGoodTheMetrics() {
    List<String> problems = GUARD.problems(new double[] {Double.NaN, 1, 1});

    PromotionPolicy.Decision d = POLICY.decide(window(1000, 40, 0.99, 0.5, 0.9, 0.1), problems);

    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason()).isEqualTo("kept as challenger: weights rejected: weight 0 is NaN");
  }

  @Test
  void namesTheFirstThreeGuardProblemsAndCountsTheRest() {
    List<String> problems =
        List.of(
            "weight 0 is NaN",
            "weight 1 is NaN",
            "weight 2 is NaN",
            "weight 3 is NaN",
            "weight 4 is NaN");

    PromotionPolicy.Decision d = POLICY.decide(window(1000, 40, 0.99, 0.5, 0.9, 0.1), problems);

    assertThat(d.reason())
        .isEqualTo(
            "kept as challenger: weights rejected: weight 0 is NaN; weight 1 is NaN;"
                + " weight 2 is NaN (and 2 more)");
  }

  @Test
  void keepsWhenAMetricIsUndefined() {
    PrequentialWindow.Metrics oneClass =
        new PrequentialWindow.Metrics(
            1000,
            1000,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty());

    assertThat(
            new PromotionPolicy(0, true, 1, 1, 1, Rule.BOTH).decide(oneClass, List.of()).reason())
        .startsWith("kept as challenger: AUC undefined on the window; AP undefined on the window");
  }

  // --- end to end: a small SGD learner (what MLlib's streaming LR does, per example) on a
  // synthetic stream ---

  /**
   * Fraud iff sigmoid(2 x1 + x2 - 3): about one transaction in ten, two standard normal features.
   */
  private static final double[] TRUE_WEIGHTS = {2, 1, -3};

  private static final Standardisation IDENTITY =
      new Standardisation(new double[] {0, 0}, new double[] {1, 1});

  /**
   * Streams {@code n} labelled transactions scored by {@code championWeights}; labels flipped when
   * asked.
   */
  private static List<LabelledExample> stream(
      Random random, int n, double[] championWeights, boolean flipped) {
    List<LabelledExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] x = {random.nextGaussian(), random.nextGaussian()};
      double[] input = IDENTITY.modelInput(x);
      boolean fraud = random.nextDouble() < LinearScorer.probabilityOf(TRUE_WEIGHTS, input);
      out.add(
          new LabelledExample(
              "tx-" + random.nextLong(),
              Examples.T0,
              x,
              fraud != flipped,
              Examples.T0,
              LinearScorer.probabilityOf(championWeights, input),
              1));
    }
    return out;
  }

  /**
   * Test-then-train in batches of 50, as the job does: score the batch with the current weights,
   * then learn it.
   */
  private static void learn(
      List<LabelledExample> examples, double[] weights, PrequentialWindow window) {
    TrainingSet set = new TrainingSet(IDENTITY, 3);
    double step = 0.05;
    for (int from = 0; from < examples.size(); from += 50) {
      List<LabelledExample> batch = examples.subList(from, Math.min(examples.size(), from + 50));
      window.recordBeforeTraining(batch, weights, IDENTITY);
      for (TrainingSet.Point p : set.points(batch)) {
        double[] x = p.input();
        double error = LinearScorer.probabilityOf(weights, x) - p.label();
        for (int j = 0; j < weights.length; j++) {
          weights[j] -= step * error * x[j];
        }
      }
    }
  }

  @Test
  void aLearnerThatFixesAStaleChampionIsPromoted() {
    Random random = new Random(7);
    double[] stale = {0.2, -0.5, -2};
    double[] weights = stale.clone();
    PrequentialWindow window = new PrequentialWindow(2000);

    learn(stream(random, 6000, stale, false), weights, window);

    PrequentialWindow.Metrics m = window.metrics();
    assertThat(POLICY.decide(m, GUARD.problems(weights)).action())
        .isEqualTo(Action.PROMOTE_TO_CHAMPION);
  }

  @Test
  void aLearnerWreckedByABurstOfFlippedLabelsIsNotPromoted() {
    Random random = new Random(11);
    double[] champion = TRUE_WEIGHTS.clone();
    double[] weights = champion.clone();
    learn(stream(random, 3000, champion, false), weights, new PrequentialWindow(300));
    learn(stream(random, 500, champion, true), weights, new PrequentialWindow(300));
    PrequentialWindow sinceTheBurst = new PrequentialWindow(300);

    learn(stream(random, 300, champion, false), weights, sinceTheBurst);

    PrequentialWindow.Metrics m = sinceTheBurst.metrics();
    assertThat(GUARD.problems(weights))
        .isEmpty(); // wrecked, yet finite and bounded: only the metrics tell
    assertThat(m.learnerAucRoc().getAsDouble()).isLessThan(m.championAucRoc().getAsDouble());
    assertThat(m.learnerAveragePrecision().getAsDouble())
        .isLessThan(m.championAveragePrecision().getAsDouble());
    PromotionPolicy.Decision d = POLICY.decide(m, GUARD.problems(weights));
    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason()).startsWith("kept as challenger: AUC ").contains("below champion");
  }

  @Test
  void aBurstOfFlippedLabelsInsideTheWindowFoolsTheMetricsButNotTheFraudRateRule() {
    Random random = new Random(11);
    double[] champion = TRUE_WEIGHTS.clone();
    double[] weights = champion.clone();
    PrequentialWindow window = new PrequentialWindow(1000);

    learn(stream(random, 3000, champion, false), weights, window);
    learn(stream(random, 500, champion, true), weights, window);
    learn(stream(random, 700, champion, false), weights, window);

    PrequentialWindow.Metrics m = window.metrics();
    // judged on the flipped labels it followed, the learner looks better than the champion
    assertThat(m.learnerAucRoc().getAsDouble())
        .isGreaterThan(m.championAucRoc().getAsDouble() + POLICY.margin());
    assertThat(m.learnerAveragePrecision().getAsDouble())
        .isGreaterThan(m.championAveragePrecision().getAsDouble() + POLICY.margin());
    PromotionPolicy.Decision d = POLICY.decide(m, GUARD.problems(weights));
    assertThat(d.action()).isEqualTo(Action.KEEP_AS_CHALLENGER);
    assertThat(d.reason())
        .startsWith("kept as challenger: fraud rate ")
        .contains("above the plausible 25.0%");
  }

  @Test
  void aCeilingRelativeToTheTrainingFraudRateLowersTheAbsoluteOneOnly() {
    PromotionPolicy relative = POLICY.relativeTo(OptionalDouble.of(0.01), 2);

    assertThat(relative.maxFraudRate()).isEqualTo(0.02);
    assertThat(POLICY.relativeTo(OptionalDouble.of(0.2), 2).maxFraudRate()).isEqualTo(0.25);
    assertThat(POLICY.relativeTo(OptionalDouble.empty(), 2)).isEqualTo(POLICY);
    assertThat(POLICY.relativeTo(OptionalDouble.of(0.01), 0)).isEqualTo(POLICY);
  }
}
