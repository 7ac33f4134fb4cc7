package io.fraudwatch.app.backtest;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.OfflineFeatures.FeatureRow;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.metrics.ScoredOutcome;
import io.fraudwatch.models.metrics.WindowEvaluation;
import io.fraudwatch.models.training.NewtonLogisticRegression;
import io.fraudwatch.testsupport.HandbookData;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the screening behind the feature set (docs/learning.md, "Features"). An offline twin
 * of the backtest's static model: the handbook rows of a backtest plan, {@link OfflineFeatures}
 * plus one candidate column, standardisation and a logistic regression fitted on the bootstrap's
 * training days with the bootstrap's objective (mean log-loss, L2 1e-4 on the weights, no class
 * weights; solved by Newton's method, not MLlib's L-BFGS), the test week assessed with the
 * backtest's own code. Prints AUC ROC / average precision / CP@100 of the current schema and of the
 * schema plus each candidate. Deterministic; run it on purpose ({@code -Dscreen.test-from} picks
 * another week; {@code -Dscreen.drop-feature=NAME} leaves a feature of the schema out, e.g. {@code
 * NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW} for the 26 of the docs' table):
 *
 * <pre>
 * mvn -B -pl app -am verify -Dit.test=FeatureScreening -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
class FeatureScreening {
  private static final double L2 = 1e-4;
  private static final Duration SESSION_GAP = Duration.ofMinutes(30); // sessions.gap's default
  private static final long DAY = 86_400;

  /** A candidate: its values for one customer's rows in replay order. */
  private interface Candidate {
    double[] values(List<HandbookRow> rows);
  }

  /** A candidate computed row by row from the customer's rows up to {@code pos}. */
  private interface PerRow {
    double value(List<HandbookRow> rows, int pos);
  }

  private static final Map<String, Candidate> CANDIDATES = new LinkedHashMap<>();

  private static void perRow(String name, PerRow candidate) {
    CANDIDATES.put(
        name,
        rows -> {
          double[] out = new double[rows.size()];
          for (int pos = 0; pos < out.length; pos++) {
            out[pos] = candidate.value(rows, pos);
          }
          return out;
        });
  }

  static {
    perRow("session transactions", (rows, pos) -> pos - sessionStart(rows, pos) + 1);
    perRow(
        "session terminals",
        (rows, pos) -> {
          Set<String> terminals = new HashSet<>();
          for (int i = sessionStart(rows, pos); i <= pos; i++) {
            terminals.add(rows.get(i).terminalId());
          }
          return terminals.size();
        });
    perRow(
        "session amount",
        (rows, pos) -> {
          double sum = 0;
          for (int i = sessionStart(rows, pos); i <= pos; i++) {
            sum += rows.get(i).amount();
          }
          return sum;
        });
    perRow(
        "session age",
        (rows, pos) -> Math.log1p(seconds(rows.get(sessionStart(rows, pos)), rows.get(pos))));
    perRow(
        "terminal known to the customer",
        (rows, pos) -> earlierAtTerminal(rows, pos, 30 * DAY) > 0 ? 1 : 0);
    perRow("customer-terminal count", (rows, pos) -> earlierAtTerminal(rows, pos, 30 * DAY));
    perRow(
        "time since the previous transaction",
        (rows, pos) ->
            Math.log1p(
                pos == 0
                    ? 30 * DAY
                    : Math.min(30 * DAY, seconds(rows.get(pos - 1), rows.get(pos)))));
    perRow(
        "amount to the 30-day median",
        (rows, pos) -> ratio(rows.get(pos).amount(), median30(rows, pos)));
    perRow(
        "amount to the older mean",
        (rows, pos) ->
            ratio(
                rows.get(pos).amount(),
                earlierAmounts(rows, pos, 7 * DAY, 30 * DAY).stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(0)));
    CANDIDATES.put(
        "earlier large amounts",
        rows -> {
          boolean[] large = new boolean[rows.size()];
          for (int pos = 0; pos < large.length; pos++) {
            double median = median30(rows, pos);
            large[pos] = median > 0 && rows.get(pos).amount() > 3 * median;
          }
          double[] out = new double[rows.size()];
          for (int pos = 0; pos < out.length; pos++) {
            for (int i = pos - 1; i >= 0 && seconds(rows.get(i), rows.get(pos)) < 14 * DAY; i--) {
              out[pos] += large[i] ? 1 : 0;
            }
          }
          return out;
        });
  }

  @Test
  void measure() throws Exception {
    Data data = Data.load();
    BacktestPlan plan = data.plan();
    BacktestInput input = data.input();
    List<HandbookRow> rows = data.rows();
    List<FeatureRow> features =
        dropping(data.features(), System.getProperty("screen.drop-feature"));
    Map<Long, HandbookRow> byId = new LinkedHashMap<>();
    rows.forEach(r -> byId.put(r.transactionId(), r));
    Map<Long, Integer> at = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      at.put(features.get(i).transactionId(), i);
    }
    Map<String, List<HandbookRow>> byCustomer = new LinkedHashMap<>();
    for (FeatureRow f : features) {
      byCustomer
          .computeIfAbsent(f.customerId(), c -> new ArrayList<>())
          .add(byId.get(f.transactionId()));
    }

    System.out.printf(
        Locale.ROOT,
        "%-40s AUC ROC / AP / CP@100 on %s..%s%n",
        "features",
        plan.testFrom(),
        plan.testTo());
    System.out.println(
        row("the current schema", assess(plan, input, features, new double[features.size()][0])));
    double[][] session = new double[features.size()][0];
    for (Map.Entry<String, Candidate> c : CANDIDATES.entrySet()) {
      double[][] extra = new double[features.size()][1];
      for (List<HandbookRow> customer : byCustomer.values()) {
        double[] values = c.getValue().values(customer);
        for (int pos = 0; pos < values.length; pos++) {
          extra[at.get(customer.get(pos).transactionId())][0] = values[pos];
        }
      }
      if (c.getKey().startsWith("session")) {
        for (int i = 0; i < extra.length; i++) {
          session[i] = append(session[i], extra[i][0]);
        }
      }
      System.out.println(row("+ " + c.getKey(), assess(plan, input, features, extra)));
    }
    System.out.println(row("+ the four session features", assess(plan, input, features, session)));
  }

  /**
   * A backtest plan's data as the twin sees it: the plan for the week from {@code
   * -Dscreen.test-from} (2018-08-08 by default), its input, the rows from the history's start to
   * the test's end ({@link #offlineRows}) and their offline features, in replay order.
   */
  record Data(
      BacktestPlan plan, BacktestInput input, List<HandbookRow> rows, List<FeatureRow> features) {
    static Data load() throws Exception {
      LocalDate testFrom = LocalDate.parse(System.getProperty("screen.test-from", "2018-08-08"));
      BacktestPlan plan =
          BacktestPlan.of(
              Optional.of(testFrom),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Duration.ofDays(7),
              testFrom.plusDays(6),
              Optional.empty());
      List<HandbookRow> all = new ArrayList<>();
      for (YearMonth month = YearMonth.from(LocalDate.ofInstant(plan.loadFrom(), ZoneOffset.UTC));
          !month.isAfter(YearMonth.from(plan.testTo()));
          month = month.plusMonths(1)) {
        all.addAll(
            new HandbookCsv()
                .readAll(List.of(HandbookData.file("handbook-raw-" + month + ".csv.gz")))
                .rows());
      }
      List<HandbookRow> rows = offlineRows(all, plan);
      return new Data(
          plan,
          BacktestInput.split(all, plan),
          rows,
          OfflineFeatures.compute(rows, plan.features()));
    }
  }

  /** The rows with the named feature left out of their vectors; as they are when it is null. */
  static List<FeatureRow> dropping(List<FeatureRow> features, String feature) {
    if (feature == null) {
      return features;
    }
    int column = HandbookFeatures.SCHEMA.names().indexOf(feature);
    if (column < 0) {
      throw new IllegalArgumentException("no feature " + feature + " in the schema");
    }
    return features.stream()
        .map(
            f -> {
              double[] x = new double[f.features().length - 1];
              System.arraycopy(f.features(), 0, x, 0, column);
              System.arraycopy(f.features(), column + 1, x, column, x.length - column);
              return new FeatureRow(f.transactionId(), f.eventTime(), f.customerId(), x, f.fraud());
            })
        .toList();
  }

  /**
   * The plan's rows from the history's start to the test's end, as the backtest gives them to the
   * features: reported labels before the replay, the truth after it.
   */
  static List<HandbookRow> offlineRows(List<HandbookRow> all, BacktestPlan plan) {
    return all.stream()
        .filter(r -> !r.eventTime().isBefore(plan.historyStart()))
        .filter(r -> r.eventTime().isBefore(plan.testEnd()))
        .map(r -> r.eventTime().isBefore(plan.replayStart()) ? r.asReported() : r)
        .toList();
  }

  private static String row(String name, WindowEvaluation e) {
    return row(name, e, 40);
  }

  /** A line of the printed table: the name in {@code width} columns, then the three figures. */
  static String row(String name, WindowEvaluation e, int width) {
    return String.format(
        Locale.ROOT,
        "%-" + width + "s %.4f / %.4f / %.4f",
        name,
        e.aucRoc().orElse(Double.NaN),
        e.averagePrecision().orElse(Double.NaN),
        e.cardPrecisionAtK().orElse(Double.NaN));
  }

  /** Fits on the bootstrap's training days, scores the test window, assesses like the backtest. */
  private static WindowEvaluation assess(
      BacktestPlan plan, BacktestInput input, List<FeatureRow> features, double[][] extra) {
    Model model = fit(plan, features, extra);
    double[] scores = new double[features.size()];
    for (int i = 0; i < scores.length; i++) {
      if (!features.get(i).eventTime().isBefore(plan.testStart())) {
        scores[i] = model.score(concat(features.get(i).features(), extra[i]));
      }
    }
    return assess(plan, input, features, scores);
  }

  /** Assesses the test window's rows by {@code scores} (one per row) like the backtest. */
  static WindowEvaluation assess(
      BacktestPlan plan, BacktestInput input, List<FeatureRow> features, double[] scores) {
    List<ScoredOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      FeatureRow f = features.get(i);
      if (!f.eventTime().isBefore(plan.testStart())) {
        outcomes.add(
            new ScoredOutcome(
                f.customerId(),
                LocalDate.ofInstant(f.eventTime(), ZoneOffset.UTC),
                scores[i],
                f.fraud()));
      }
    }
    return WindowEvaluation.of(input.known().remove(outcomes), plan.testFrom(), plan.testTo(), 100);
  }

  /** A fitted model: the standardisation and the weights, the intercept last. */
  record Model(Standardisation scaling, double[] weights) {
    double score(double[] features) {
      double[] x = scaling.apply(features);
      double z = weights[x.length];
      for (int k = 0; k < x.length; k++) {
        z += weights[k] * x[k];
      }
      return 1 / (1 + Math.exp(-z));
    }
  }

  /** The bootstrap's fit on its training days, with {@code extra} appended to each vector. */
  static Model fit(BacktestPlan plan, List<FeatureRow> features, double[][] extra) {
    Instant trainFrom = plan.trainingWindow().start();
    Instant trainTo = plan.trainingWindow().validationStart();
    List<double[]> train = new ArrayList<>();
    List<Boolean> fraud = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      FeatureRow f = features.get(i);
      if (!f.eventTime().isBefore(trainFrom) && f.eventTime().isBefore(trainTo)) {
        train.add(concat(f.features(), extra[i]));
        fraud.add(f.fraud());
      }
    }
    Standardisation scaling = Standardisation.fit(train);
    boolean[] frauds = new boolean[fraud.size()];
    for (int i = 0; i < frauds.length; i++) {
      frauds[i] = fraud.get(i);
    }
    double[] w =
        new NewtonLogisticRegression(L2)
            .fit(train.stream().map(scaling::apply).toArray(double[][]::new), frauds, 1);
    return new Model(scaling, w);
  }

  private static int sessionStart(List<HandbookRow> rows, int pos) {
    int start = pos;
    while (start > 0 && seconds(rows.get(start - 1), rows.get(start)) <= SESSION_GAP.toSeconds()) {
      start--;
    }
    return start;
  }

  private static int earlierAtTerminal(List<HandbookRow> rows, int pos, long within) {
    int count = 0;
    for (int i = pos - 1; i >= 0 && seconds(rows.get(i), rows.get(pos)) < within; i--) {
      count += rows.get(i).terminalId().equals(rows.get(pos).terminalId()) ? 1 : 0;
    }
    return count;
  }

  /** The customer's amounts before {@code pos} whose age is in [from, to) seconds. */
  private static List<Double> earlierAmounts(List<HandbookRow> rows, int pos, long from, long to) {
    List<Double> out = new ArrayList<>();
    for (int i = pos - 1; i >= 0 && seconds(rows.get(i), rows.get(pos)) < to; i--) {
      if (seconds(rows.get(i), rows.get(pos)) >= from) {
        out.add(rows.get(i).amount());
      }
    }
    return out;
  }

  static long seconds(HandbookRow earlier, HandbookRow later) {
    return Duration.between(earlier.eventTime(), later.eventTime()).toSeconds();
  }

  /** The median of the customer's amounts in the 30 days before {@code pos}, 0 when none. */
  private static double median30(List<HandbookRow> rows, int pos) {
    double[] s =
        earlierAmounts(rows, pos, 0, 30 * DAY).stream()
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray();
    int m = s.length / 2;
    return s.length == 0 ? 0 : s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  private static double ratio(double amount, double reference) {
    return reference > 0 ? amount / reference : 1.0;
  }

  static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double[] append(double[] a, double value) {
    return concat(a, new double[] {value});
  }
}
