package io.fraudwatch.app.backtest;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures.FeatureRow;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.metrics.ScoredOutcome;
import io.fraudwatch.models.metrics.WindowEvaluation;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the screening behind {@code NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW}
 * (docs/learning.md, "A feature for card testing"). {@link RefitScreening}'s twin of the learner's
 * daily refits (a 7-day window ending a label delay before the scored day, the bootstrap's
 * standardisation, L2 1e-4) on a new-pattern file, with the schema as it was before that feature
 * plus one set of candidate columns at a time. Prints each candidate's daily average precision over
 * the assessed days, their mean from {@code screen.mean-from}, and on {@code screen.split-day} the
 * average precision of the card-testing frauds alone (scenario 4) and of the other frauds alone,
 * each ranked among all the day's genuine transactions. Deterministic, a minute or two:
 *
 * <pre>
 * mvn -B -pl app -am verify -Dit.test=CardTestingScreening -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *   -Dtest.jvm.args=-Xmx8g -Dscreen.csv=np190.csv.gz -Dscreen.out=card-testing-screening.txt
 * </pre>
 */
class CardTestingScreening {
  private static final long HOUR = 3600;
  private static final long DAY = 86_400;
  private static final int CARD_TESTING = 4;
  private static final String KEPT = "NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW";

  /** The schema as it was before the kept feature: the columns the candidates read. */
  private static final List<String> BEFORE =
      HandbookFeatures.SCHEMA.names().stream().filter(n -> !n.equals(KEPT)).toList();

  private static final int NIGHT = BEFORE.indexOf("TX_DURING_NIGHT");
  private static final int LOG = BEFORE.indexOf("TX_AMOUNT_LOG");
  private static final int COUNT_1HOUR = BEFORE.indexOf("CUSTOMER_ID_NB_TX_1HOUR_WINDOW");

  /** Candidate columns of a row, from its features and its customer's rows up to {@code pos}. */
  private interface Candidate {
    double[] values(double[] features, List<HandbookRow> customer, int pos);
  }

  private static final Map<String, Candidate> CANDIDATES = new LinkedHashMap<>();

  static {
    CANDIDATES.put("none (the 26)", (f, c, p) -> new double[0]);
    CANDIDATES.put("night x log amount", (f, c, p) -> new double[] {f[NIGHT] * f[LOG]});
    CANDIDATES.put("night x 1-hour count", (f, c, p) -> new double[] {f[NIGHT] * f[COUNT_1HOUR]});
    CANDIDATES.put(
        "1-hour count x log amount", (f, c, p) -> new double[] {f[COUNT_1HOUR] * f[LOG]});
    CANDIDATES.put(
        "night x log, night x 1-hour count",
        (f, c, p) -> new double[] {f[NIGHT] * f[LOG], f[NIGHT] * f[COUNT_1HOUR]});
    CANDIDATES.put("terminal unknown (30 days)", (f, c, p) -> new double[] {unknown(c, p)});
    CANDIDATES.put(
        "night x terminal unknown", (f, c, p) -> new double[] {f[NIGHT] * unknown(c, p)});
    CANDIDATES.put("1-hour distinct terminals", (f, c, p) -> new double[] {terminals(c, p)});
    CANDIDATES.put("1-hour mean log amount", (f, c, p) -> new double[] {meanLog(c, p)});
    for (double small : new double[] {5, 10, 20}) {
      CANDIDATES.put(
          "1-hour count under " + (int) small,
          (f, c, p) -> new double[] {under(c, p, HOUR, small)});
    }
    CANDIDATES.put("2-hour count under 5", (f, c, p) -> new double[] {under(c, p, 2 * HOUR, 5)});
    CANDIDATES.put("1-hour sum of 1/(1+amount)", (f, c, p) -> new double[] {smallness(c, p, 1)});
    CANDIDATES.put("1-hour sum of 10/(10+amount)", (f, c, p) -> new double[] {smallness(c, p, 10)});
    CANDIDATES.put(
        "under 5, night x log",
        (f, c, p) -> new double[] {under(c, p, HOUR, 5), f[NIGHT] * f[LOG]});
    CANDIDATES.put(
        "under 5, night x log, night x 1-hour count",
        (f, c, p) ->
            new double[] {under(c, p, HOUR, 5), f[NIGHT] * f[LOG], f[NIGHT] * f[COUNT_1HOUR]});
    for (double small : new double[] {5, 10}) {
      CANDIDATES.put(
          "night x 1-hour count under " + (int) small,
          (f, c, p) -> new double[] {f[NIGHT] * under(c, p, HOUR, small)});
    }
    CANDIDATES.put(
        "night x 1-hour sum of 1/(1+amount)",
        (f, c, p) -> new double[] {f[NIGHT] * smallness(c, p, 1)});
    CANDIDATES.put(
        "night x 1-hour sum of 10/(10+amount)",
        (f, c, p) -> new double[] {f[NIGHT] * smallness(c, p, 10)});
  }

  @Test
  void measure() throws Exception {
    LocalDate from = LocalDate.parse(System.getProperty("screen.assess-from", "2018-09-25"));
    LocalDate meanFrom = LocalDate.parse(System.getProperty("screen.mean-from", "2018-10-01"));
    LocalDate splitDay = LocalDate.parse(System.getProperty("screen.split-day", "2018-10-04"));
    RefitScreening.Scenario scenario = RefitScreening.Scenario.read(KEPT);
    BacktestPlan plan = scenario.plan();
    BacktestInput input = scenario.input();
    LocalDate testTo = scenario.testTo();
    List<HandbookRow> rows = scenario.rows();
    List<FeatureRow> features = scenario.features();
    Map<Long, HandbookRow> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.transactionId(), r));
    Map<String, List<HandbookRow>> byCustomer = new HashMap<>();
    int[] position = new int[features.size()];
    for (int i = 0; i < position.length; i++) {
      List<HandbookRow> customer =
          byCustomer.computeIfAbsent(features.get(i).customerId(), k -> new ArrayList<>());
      position[i] = customer.size();
      customer.add(byId.get(features.get(i).transactionId()));
    }

    PrintStream out =
        new PrintStream(
            new FileOutputStream(
                System.getProperty("screen.out", "card-testing-screening.txt"), true),
            true,
            StandardCharsets.UTF_8);
    out.printf(
        Locale.ROOT,
        "%-44s daily AP %s..%s | mean from %s | %s: card testing / other frauds%n",
        "candidate",
        from,
        testTo,
        meanFrom,
        splitDay);
    RefitScreening.Variant refit =
        new RefitScreening.Variant("7d, bootstrap scale", 7, null, null, false, RefitScreening.L2);
    for (Map.Entry<String, Candidate> candidate : CANDIDATES.entrySet()) {
      double[][] x = new double[features.size()][];
      for (int i = 0; i < x.length; i++) {
        FeatureRow f = features.get(i);
        x[i] =
            FeatureScreening.concat(
                f.features(),
                candidate
                    .getValue()
                    .values(f.features(), byCustomer.get(f.customerId()), position[i]));
      }
      Standardisation scale =
          Standardisation.fit(
              RefitScreening.indices(
                      features,
                      plan.trainingWindow().start(),
                      plan.trainingWindow().validationStart())
                  .stream()
                  .map(i -> x[i])
                  .toList());
      List<ScoredOutcome> outcomes = new ArrayList<>();
      List<ScoredOutcome> cardTesting = new ArrayList<>();
      List<ScoredOutcome> others = new ArrayList<>();
      RefitScreening.scoreDays(
          features,
          i -> x[i],
          scale,
          refit,
          from,
          testTo,
          (o, i) -> {
            outcomes.add(o);
            boolean tested = byId.get(features.get(i).transactionId()).scenario() == CARD_TESTING;
            if (!o.fraud() || tested) {
              cardTesting.add(o);
            }
            if (!o.fraud() || !tested) {
              others.add(o);
            }
          });
      WindowEvaluation e = WindowEvaluation.of(input.known().remove(outcomes), from, testTo, 100);
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "%-44s", candidate.getKey()));
      double sum = 0;
      int days = 0;
      for (WindowEvaluation.DayEvaluation d : e.days()) {
        double ap = d.averagePrecision().orElse(Double.NaN);
        line.append(String.format(Locale.ROOT, " %.3f", ap));
        if (!d.day().isBefore(meanFrom)) {
          sum += ap;
          days++;
        }
      }
      line.append(String.format(Locale.ROOT, " | %.3f | ", sum / days))
          .append(onDay(input, cardTesting, splitDay))
          .append(" / ")
          .append(onDay(input, others, splitDay));
      out.println(line);
    }
  }

  /** The average precision of the outcomes of {@code day}. */
  private static String onDay(BacktestInput input, List<ScoredOutcome> outcomes, LocalDate day) {
    return WindowEvaluation.of(
            input.known().remove(outcomes.stream().filter(o -> o.day().equals(day)).toList()),
            day,
            day,
            100)
        .averagePrecision()
        .stream()
        .mapToObj(ap -> String.format(Locale.ROOT, "%.3f", ap))
        .findFirst()
        .orElse("-");
  }

  /** 1 when the customer did not use this terminal in the 30 days before. */
  private static double unknown(List<HandbookRow> c, int p) {
    for (int i = p - 1; i >= 0 && FeatureScreening.seconds(c.get(i), c.get(p)) < 30 * DAY; i--) {
      if (c.get(i).terminalId().equals(c.get(p).terminalId())) {
        return 0;
      }
    }
    return 1;
  }

  private static double terminals(List<HandbookRow> c, int p) {
    Set<String> seen = new HashSet<>();
    for (int i = p; i >= 0 && FeatureScreening.seconds(c.get(i), c.get(p)) < HOUR; i--) {
      seen.add(c.get(i).terminalId());
    }
    return seen.size();
  }

  private static double meanLog(List<HandbookRow> c, int p) {
    double sum = 0;
    int n = 0;
    for (int i = p; i >= 0 && FeatureScreening.seconds(c.get(i), c.get(p)) < HOUR; i--) {
      sum += Math.log1p(c.get(i).amount());
      n++;
    }
    return sum / n;
  }

  /** The customer's transactions under {@code small} in the window, itself included. */
  private static double under(List<HandbookRow> c, int p, long window, double small) {
    int n = 0;
    for (int i = p; i >= 0 && FeatureScreening.seconds(c.get(i), c.get(p)) < window; i--) {
      n += c.get(i).amount() < small ? 1 : 0;
    }
    return n;
  }

  /** The sum of scale / (scale + amount) over the customer's last hour, itself included. */
  private static double smallness(List<HandbookRow> c, int p, double scale) {
    double sum = 0;
    for (int i = p; i >= 0 && FeatureScreening.seconds(c.get(i), c.get(p)) < HOUR; i--) {
      sum += scale / (scale + c.get(i).amount());
    }
    return sum;
  }
}
