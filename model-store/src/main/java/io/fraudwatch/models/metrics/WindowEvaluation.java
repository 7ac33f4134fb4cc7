package io.fraudwatch.models.metrics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The Fraud Detection Handbook's assessment of a test window ({@code performance_assessment}): AUC
 * ROC and average precision over all of the window's transactions together, card precision@k
 * averaged over its days (see {@link CardPrecision}); and, per day, the same three for that day
 * alone. Days of the window without transactions are listed with empty metrics and left out of the
 * CP@k mean. Which transactions to assess (for example without the {@link KnownCompromisedCards})
 * is the caller's choice.
 *
 * @param aucRoc empty when the window holds one class only
 * @param cardPrecisionAtK empty when no day has transactions
 */
public record WindowEvaluation(
    LocalDate from,
    LocalDate to,
    int k,
    long transactions,
    long frauds,
    OptionalDouble aucRoc,
    OptionalDouble averagePrecision,
    OptionalDouble cardPrecisionAtK,
    List<DayEvaluation> days) {

  /**
   * One day of the window; its CP@k takes the cards found on earlier days of the window out of its
   * pool.
   */
  public record DayEvaluation(
      LocalDate day,
      long transactions,
      long frauds,
      OptionalDouble aucRoc,
      OptionalDouble averagePrecision,
      OptionalDouble cardPrecisionAtK,
      int compromisedCards) {}

  public WindowEvaluation {
    days = List.copyOf(days);
  }

  /**
   * @param outcomes every transaction to assess, each on a day within {@code from..to}
   * @throws IllegalArgumentException for an outcome outside the window
   */
  public static WindowEvaluation of(
      Collection<ScoredOutcome> outcomes, LocalDate from, LocalDate to, int k) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "the window ends (" + to + ") before it starts (" + from + ")");
    }
    Map<LocalDate, List<ScoredOutcome>> byDay = new HashMap<>();
    for (ScoredOutcome o : outcomes) {
      if (o.day().isBefore(from) || o.day().isAfter(to)) {
        throw new IllegalArgumentException(
            "a transaction of " + o.day() + " is outside the window " + from + ".." + to);
      }
      byDay.computeIfAbsent(o.day(), d -> new ArrayList<>()).add(o);
    }
    CardPrecision.Result cp = CardPrecision.atK(outcomes, k);
    Map<LocalDate, CardPrecision.Day> cpByDay = new HashMap<>();
    cp.days().forEach(d -> cpByDay.put(d.day(), d));

    List<DayEvaluation> days = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      List<ScoredOutcome> rows = byDay.getOrDefault(day, List.of());
      CardPrecision.Day cpDay = cpByDay.get(day);
      Ranking r = Ranking.of(rows);
      days.add(
          new DayEvaluation(
              day,
              rows.size(),
              r.frauds(),
              r.aucRoc(),
              r.averagePrecision(),
              cpDay == null ? OptionalDouble.empty() : OptionalDouble.of(cpDay.precision()),
              cpDay == null ? 0 : cpDay.compromisedCards()));
    }
    Ranking all = Ranking.of(outcomes);
    return new WindowEvaluation(
        from,
        to,
        k,
        outcomes.size(),
        all.frauds(),
        all.aucRoc(),
        all.averagePrecision(),
        cp.mean(),
        days);
  }

  private record Ranking(long frauds, OptionalDouble aucRoc, OptionalDouble averagePrecision) {
    static Ranking of(Collection<ScoredOutcome> rows) {
      double[] scores = new double[rows.size()];
      boolean[] fraud = new boolean[rows.size()];
      int i = 0;
      long frauds = 0;
      for (ScoredOutcome o : rows) {
        scores[i] = o.score();
        fraud[i] = o.fraud();
        frauds += o.fraud() ? 1 : 0;
        i++;
      }
      return new Ranking(
          frauds,
          RankingMetrics.aucRoc(scores, fraud),
          RankingMetrics.averagePrecision(scores, fraud));
    }
  }
}
