package io.fraudwatch.app.backtest;

import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.OfflineFeatures.FeatureRow;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.metrics.ScoredOutcome;
import io.fraudwatch.models.metrics.WindowEvaluation;
import io.fraudwatch.models.training.LogisticFitter;
import io.fraudwatch.models.training.NewtonLogisticRegression;
import io.fraudwatch.models.training.SparkLogisticRegression;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the screening behind the learner's refits (docs/learning.md, "What separates the
 * refits from a batch fit"). An offline twin of the learner's daily refits on a drift scenario's
 * file: for each assessed day D, a logistic regression fitted on the labels the learner has at D
 * (the transactions of a window ending a label delay before D), scored on D and assessed with the
 * backtest's own code (the known-compromised cards of the plan's test window left out). Variants
 * differ in the window, the standardisation (the bootstrap's, as the learner keeps it, or one
 * fitted on the window), the L2 strength and the solver; "fixed" is a window of given days (default
 * 2018-09-20..22, the training days of the batch fit cap2). Deterministic; run it on purpose, with
 * the test JVM's heap ({@code test.jvm.args} in the root POM) raised to 6 GB for a 190-day file:
 *
 * <pre>
 * mvn -B -pl app -am verify -Dit.test=RefitScreening -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *   -Dscreen.csv=np190.csv.gz -Dscreen.out=refit-screening.txt \
 *   -Dscreen.test-from=2018-09-10 -Dscreen.test-to=2018-10-07 -Dscreen.assess-from=2018-09-25
 * </pre>
 *
 * ({@code -Dscreen.fixed-from} and {@code -Dscreen.fixed-to} move the fixed window; the docs'
 * figures are on the 26 features before {@code NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW}: add
 * {@code -Dscreen.drop-feature=NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW} to repeat them.) Prints
 * the daily average precision of each variant to {@code screen.out}.
 */
class RefitScreening {
  static final double L2 = 1e-4;
  private static final Duration DELAY = Duration.ofDays(7);
  private static final int BOOTSTRAP_ITERATIONS = 100; // the bootstrap's L-BFGS (Bootstrap)

  /**
   * A fit: {@code days} of transactions ending a label delay before the scored day (0 = the fixed
   * {@code from..to} window), in the bootstrap's standardisation or one fitted on its rows.
   */
  record Variant(
      String name,
      int days,
      LocalDate from,
      LocalDate to,
      boolean ownScale,
      double l2,
      LogisticFitter fitter) {
    Variant(String name, int days, LocalDate from, LocalDate to, boolean ownScale, double l2) {
      this(name, days, from, to, ownScale, l2, new NewtonLogisticRegression(l2));
    }
  }

  /**
   * A scenario file's test window as the screenings read it: the plan of {@code screen.test-from}
   * ..{@code screen.test-to} on {@code screen.csv}, the backtest's input, the rows the features see
   * and their features, the named one left out (none when null).
   */
  record Scenario(
      BacktestPlan plan,
      BacktestInput input,
      LocalDate testTo,
      List<HandbookRow> rows,
      List<FeatureRow> features) {
    static Scenario read(String dropFeature) throws java.io.IOException {
      LocalDate testFrom = LocalDate.parse(System.getProperty("screen.test-from", "2018-09-10"));
      LocalDate testTo = LocalDate.parse(System.getProperty("screen.test-to", "2018-10-07"));
      BacktestPlan plan =
          BacktestPlan.of(
              Optional.of(testFrom),
              Optional.of(testTo),
              Optional.empty(),
              Optional.empty(),
              DELAY,
              testTo,
              Optional.empty());
      List<HandbookRow> all =
          new HandbookCsv().readAll(List.of(Path.of(System.getProperty("screen.csv")))).rows();
      BacktestInput input = BacktestInput.split(all, plan);
      List<HandbookRow> rows = FeatureScreening.offlineRows(all, plan);
      List<FeatureRow> features =
          FeatureScreening.dropping(OfflineFeatures.compute(rows, plan.features()), dropFeature);
      return new Scenario(plan, input, testTo, rows, features);
    }
  }

  @Test
  void measure() throws Exception {
    LocalDate from = LocalDate.parse(System.getProperty("screen.assess-from", "2018-09-25"));
    Scenario scenario = Scenario.read(System.getProperty("screen.drop-feature"));
    BacktestPlan plan = scenario.plan();
    BacktestInput input = scenario.input();
    LocalDate testTo = scenario.testTo();
    List<FeatureRow> features = scenario.features();
    Standardisation bootstrap =
        Standardisation.fit(
            indices(
                    features,
                    plan.trainingWindow().start(),
                    plan.trainingWindow().validationStart())
                .stream()
                .map(i -> features.get(i).features())
                .toList());

    List<Variant> variants = new ArrayList<>();
    LocalDate fixedFrom = LocalDate.parse(System.getProperty("screen.fixed-from", "2018-09-20"));
    LocalDate fixedTo = LocalDate.parse(System.getProperty("screen.fixed-to", "2018-09-22"));
    variants.add(new Variant("fixed, own scale", 0, fixedFrom, fixedTo, true, L2));
    variants.add(new Variant("fixed, bootstrap scale", 0, fixedFrom, fixedTo, false, L2));
    variants.add(
        new Variant(
            "fixed, own scale, L-BFGS",
            0,
            fixedFrom,
            fixedTo,
            true,
            L2,
            new SparkLogisticRegression(L2, BOOTSTRAP_ITERATIONS)));
    for (int days : new int[] {7, 4, 3, 2}) {
      variants.add(new Variant(days + "d, bootstrap scale", days, null, null, false, L2));
      variants.add(new Variant(days + "d, own scale", days, null, null, true, L2));
    }
    for (double l2 : new double[] {1e-5, 1e-3, 1e-2}) {
      variants.add(new Variant("7d, bootstrap scale, L2 " + l2, 7, null, null, false, l2));
      variants.add(new Variant("fixed, own scale, L2 " + l2, 0, fixedFrom, fixedTo, true, l2));
    }

    PrintStream out =
        new PrintStream(
            new FileOutputStream(System.getProperty("screen.out", "refit-screening.txt"), true),
            true,
            StandardCharsets.UTF_8);
    out.printf(Locale.ROOT, "%-36s daily AP %s..%s%n", "fit", from, testTo);
    for (Variant v : variants) {
      List<ScoredOutcome> outcomes = new ArrayList<>();
      scoreDays(
          features,
          i -> features.get(i).features(),
          bootstrap,
          v,
          from,
          testTo,
          (outcome, i) -> outcomes.add(outcome));
      WindowEvaluation e = WindowEvaluation.of(input.known().remove(outcomes), from, testTo, 100);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-36s", v.name()));
      e.days()
          .forEach(
              d ->
                  line.append(
                      String.format(
                          Locale.ROOT, " %.3f", d.averagePrecision().orElse(Double.NaN))));
      out.println(line);
    }
  }

  /**
   * Scores each day of {@code from..to} with a fit of the variant's: its window of rows (given as
   * vectors by {@code vector}, from their index), in the bootstrap's standardisation or one fitted
   * on the window. {@code sink} gets each day's outcomes with their rows' indices.
   */
  static void scoreDays(
      List<FeatureRow> features,
      IntFunction<double[]> vector,
      Standardisation bootstrap,
      Variant v,
      LocalDate from,
      LocalDate to,
      ObjIntConsumer<ScoredOutcome> sink) {
    double[] fixed = null;
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant trainFrom =
          v.days() == 0
              ? v.from().atStartOfDay(ZoneOffset.UTC).toInstant()
              : dayStart.minus(DELAY).minus(Duration.ofDays(v.days()));
      Instant trainTo =
          v.days() == 0
              ? v.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
              : dayStart.minus(DELAY);
      List<Integer> train = indices(features, trainFrom, trainTo);
      Standardisation scale =
          v.ownScale()
              ? Standardisation.fit(train.stream().map(vector::apply).toList())
              : bootstrap;
      boolean[] fraud = new boolean[train.size()];
      for (int i = 0; i < fraud.length; i++) {
        fraud[i] = features.get(train.get(i)).fraud();
      }
      double[] w =
          fixed != null
              ? fixed
              : v.fitter()
                  .fit(
                      train.stream()
                          .map(i -> scale.apply(vector.apply(i)))
                          .toArray(double[][]::new),
                      fraud,
                      1);
      fixed = v.days() == 0 ? w : null;
      for (int i : indices(features, dayStart, dayStart.plus(Duration.ofDays(1)))) {
        FeatureRow f = features.get(i);
        double[] x = scale.apply(vector.apply(i));
        double z = w[x.length];
        for (int k = 0; k < x.length; k++) {
          z += w[k] * x[k];
        }
        sink.accept(new ScoredOutcome(f.customerId(), day, 1 / (1 + Math.exp(-z)), f.fraud()), i);
      }
    }
  }

  /** The indices of the rows with event time in [from, to). */
  static List<Integer> indices(List<FeatureRow> features, Instant from, Instant to) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      Instant t = features.get(i).eventTime();
      if (!t.isBefore(from) && t.isBefore(to)) {
        out.add(i);
      }
    }
    return out;
  }
}
