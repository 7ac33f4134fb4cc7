package io.fraudwatch.app.backtest;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures.FeatureRow;
import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Not a test: what investigators' verdicts could add to card precision@100 on the handbook week
 * (docs/learning.md, "What bounds card precision@100"), measured on {@link FeatureScreening}'s
 * offline twin of the static model.
 *
 * <p>Investigators check the {@value #CHECKED_PER_DAY} cards a day that CP@100 assumes: the day's
 * highest-scored cards among those they have not found compromised yet; at the day's end they know
 * which of those cards' transactions that day were frauds, a label delay before the labels. The
 * candidate feature: the number of the terminal's transactions in (t - label delay, t] that
 * investigators confirmed as frauds before t (older frauds are in the terminal risk features).
 *
 * <p>The feature changes the scores, which change the cards checked, so it is measured in a closed
 * loop with two passes. First, the current schema's model scores every day from a label delay
 * before its training days to the test's end and the investigators check its top cards, which gives
 * the feature on every row; a model is fitted on the schema plus the feature over the training
 * days. Second, day by day from the replay's first day, that model scores the day with the feature
 * from earlier days' verdicts and the investigators check its top cards. Prints the test week's
 * figures of both models, the feature's weight and the investigators' finds. Deterministic; run it
 * on purpose:
 *
 * <pre>
 * mvn -B -pl app -am verify -Dit.test=InvestigatorScreening -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
class InvestigatorScreening {
  private static final int CHECKED_PER_DAY = 100;
  private static final int WIDTH = 52;

  /** Which confirmed frauds a candidate counts, by amount. */
  private static final Map<String, DoublePredicate> CANDIDATES = new LinkedHashMap<>();

  static {
    CANDIDATES.put("frauds confirmed by investigators", amount -> true);
    CANDIDATES.put(
        "those with amounts up to " + (int) HandbookFeatures.AMOUNT_KNOT,
        amount -> amount <= HandbookFeatures.AMOUNT_KNOT);
  }

  @Test
  void measure() throws Exception {
    FeatureScreening.Data data = FeatureScreening.Data.load();
    BacktestPlan plan = data.plan();
    Rows rows = Rows.of(data);
    List<FeatureRow> features = rows.features();
    Duration delay = rows.delay();
    TreeMap<LocalDate, List<Integer>> byDay = new TreeMap<>();
    LocalDate first = plan.trainingWindow().from().minusDays(delay.toDays());
    for (int i = 0; i < features.size(); i++) {
      LocalDate day = day(features.get(i).eventTime());
      if (!day.isBefore(first)) {
        byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(i);
      }
    }

    FeatureScreening.Model schema =
        FeatureScreening.fit(plan, features, new double[features.size()][0]);
    double[] schemaScores = new double[features.size()];
    for (int i = 0; i < schemaScores.length; i++) {
      schemaScores[i] = schema.score(features.get(i).features());
    }
    System.out.printf(
        Locale.ROOT,
        "%-" + WIDTH + "s AUC ROC / AP / CP@100 on %s..%s%n",
        "model",
        plan.testFrom(),
        plan.testTo());
    System.out.println(row("the current schema", data, schemaScores));
    for (Map.Entry<String, DoublePredicate> candidate : CANDIDATES.entrySet()) {
      Investigators firstPass = new Investigators(rows, candidate.getValue());
      byDay.forEach((day, ofDay) -> firstPass.check(ofDay, i -> schemaScores[i]));
      double[][] confirmed = new double[features.size()][];
      for (int i = 0; i < confirmed.length; i++) {
        confirmed[i] = new double[] {firstPass.confirmedBefore(i)};
      }
      FeatureScreening.Model withVerdicts = FeatureScreening.fit(plan, features, confirmed);

      LocalDate replayFrom = day(plan.replayStart());
      Investigators loop = new Investigators(rows, candidate.getValue());
      double[] loopScores = new double[features.size()];
      byDay.forEach(
          (day, ofDay) -> {
            for (int i : ofDay) {
              loopScores[i] =
                  day.isBefore(replayFrom)
                      ? schemaScores[i]
                      : withVerdicts.score(
                          FeatureScreening.concat(
                              features.get(i).features(), new double[] {loop.confirmedBefore(i)}));
            }
            loop.check(ofDay, i -> loopScores[i]);
          });
      double[] w = withVerdicts.weights();
      System.out.println(row("+ " + candidate.getKey(), data, loopScores));
      System.out.printf(
          Locale.ROOT,
          "  its weight (standardised) %.4f; frauds confirmed by scenario %s (%d within a label"
              + " delay of their terminal's first fraud) at %d terminals, %s..%s%n",
          w[w.length - 2],
          loop.byScenario(),
          loop.early(),
          loop.terminals(),
          first,
          plan.testTo());
    }
  }

  private static String row(String name, FeatureScreening.Data data, double[] scores) {
    return FeatureScreening.row(
        name, FeatureScreening.assess(data.plan(), data.input(), data.features(), scores), WIDTH);
  }

  private static LocalDate day(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  /**
   * The rows the loops share: features in replay order, their handbook rows by id, the label delay
   * and each terminal's first fraud in the data.
   */
  private record Rows(
      List<FeatureRow> features,
      Map<Long, HandbookRow> byId,
      Duration delay,
      Map<String, Instant> firstFraud) {
    static Rows of(FeatureScreening.Data data) {
      Map<Long, HandbookRow> byId = new HashMap<>();
      data.rows().forEach(r -> byId.put(r.transactionId(), r));
      Map<String, Instant> firstFraud = new HashMap<>();
      for (FeatureRow f : data.features()) {
        if (f.fraud()) {
          firstFraud.merge(
              byId.get(f.transactionId()).terminalId(),
              f.eventTime(),
              (a, b) -> a.isBefore(b) ? a : b);
        }
      }
      return new Rows(data.features(), byId, data.plan().labelDelay(), firstFraud);
    }
  }

  /** The investigators' findings: blocked cards and confirmed frauds by terminal. */
  private static final class Investigators {
    private final List<FeatureRow> features;
    private final Map<Long, HandbookRow> byId;
    private final Duration delay;
    private final Map<String, Instant> firstFraud;
    private final DoublePredicate counts;
    private final Set<String> blocked = new HashSet<>();
    private final Map<String, List<Instant>> confirmedByTerminal = new HashMap<>();
    private final Map<Integer, Integer> byScenario = new TreeMap<>();
    private int early;

    Investigators(Rows rows, DoublePredicate counts) {
      this.features = rows.features();
      this.byId = rows.byId();
      this.delay = rows.delay();
      this.firstFraud = rows.firstFraud();
      this.counts = counts;
    }

    /** Checks the day's top cards by {@code score}; their frauds are known from the next day. */
    void check(List<Integer> day, IntToDoubleFunction score) {
      Map<String, Double> cardScore = new HashMap<>();
      for (int i : day) {
        String card = features.get(i).customerId();
        if (!blocked.contains(card)) {
          cardScore.merge(card, score.applyAsDouble(i), Math::max);
        }
      }
      Set<String> checked = new HashSet<>();
      cardScore.entrySet().stream()
          .sorted(
              Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                  .thenComparing(Map.Entry::getKey))
          .limit(CHECKED_PER_DAY)
          .forEach(e -> checked.add(e.getKey()));
      for (int i : day) {
        FeatureRow f = features.get(i);
        HandbookRow row = byId.get(f.transactionId());
        if (f.fraud() && checked.contains(f.customerId())) {
          blocked.add(f.customerId());
          if (counts.test(row.amount())) {
            confirmedByTerminal
                .computeIfAbsent(row.terminalId(), t -> new ArrayList<>())
                .add(f.eventTime());
            byScenario.merge(row.scenario(), 1, Integer::sum);
            early += f.eventTime().isBefore(firstFraud.get(row.terminalId()).plus(delay)) ? 1 : 0;
          }
        }
      }
    }

    /**
     * Frauds confirmed at row {@code i}'s terminal, at times in (t - delay, t], whose verdict was
     * known at t (from the day after the fraud).
     */
    int confirmedBefore(int i) {
      FeatureRow f = features.get(i);
      Instant t = f.eventTime();
      int count = 0;
      for (Instant fraud :
          confirmedByTerminal.getOrDefault(byId.get(f.transactionId()).terminalId(), List.of())) {
        boolean known = !day(fraud).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(t);
        count += known && fraud.isAfter(t.minus(delay)) ? 1 : 0;
      }
      return count;
    }

    /**
     * The confirmed frauds counted within a label delay of their terminal's first fraud in the
     * data: those whose verdict could be news.
     */
    int early() {
      return early;
    }

    /** The confirmed frauds counted, by the handbook's fraud scenario. */
    Map<Integer, Integer> byScenario() {
      return byScenario;
    }

    int terminals() {
      return confirmedByTerminal.size();
    }
  }
}
