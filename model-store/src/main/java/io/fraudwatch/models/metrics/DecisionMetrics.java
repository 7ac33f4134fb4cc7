package io.fraudwatch.models.metrics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * How good a yes/no decision is (the model's alerts, the rules', the two combined): per day and
 * overall, how many transactions it flagged, precision (share of flagged that are fraud), recall
 * (share of frauds flagged) and card precision@k over the flagged transactions only (per day, up to
 * k flagged cards, highest model score first; see {@link CardPrecision}).
 */
public final class DecisionMetrics {
  private DecisionMetrics() {}

  /** One transaction: the card, its UTC day, the model's score, its label, and the decision. */
  public record Decided(String card, LocalDate day, double score, boolean fraud, boolean flagged) {}

  public record Figures(
      long flagged,
      long truePositives,
      long frauds,
      OptionalDouble precision,
      OptionalDouble recall) {
    static Figures of(Collection<Decided> rows) {
      long flagged = 0;
      long tp = 0;
      long frauds = 0;
      for (Decided d : rows) {
        flagged += d.flagged() ? 1 : 0;
        tp += d.flagged() && d.fraud() ? 1 : 0;
        frauds += d.fraud() ? 1 : 0;
      }
      return new Figures(
          flagged,
          tp,
          frauds,
          flagged == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) tp / flagged),
          frauds == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) tp / frauds));
    }
  }

  public record Day(LocalDate day, Figures figures, double cardPrecision) {}

  public record Result(Figures overall, OptionalDouble cardPrecision, List<Day> days) {}

  public static Result of(Collection<Decided> rows, int k) {
    TreeMap<LocalDate, List<Decided>> byDay = new TreeMap<>();
    List<ScoredOutcome> flagged = new ArrayList<>();
    for (Decided d : rows) {
      byDay.computeIfAbsent(d.day(), x -> new ArrayList<>()).add(d);
      if (d.flagged()) {
        flagged.add(new ScoredOutcome(d.card(), d.day(), d.score(), d.fraud()));
      }
    }
    CardPrecision.Result cp = CardPrecision.atK(flagged, k);
    TreeMap<LocalDate, Double> cpByDay = new TreeMap<>();
    cp.days().forEach(d -> cpByDay.put(d.day(), d.precision()));
    List<Day> days = new ArrayList<>();
    byDay.forEach(
        (day, list) -> days.add(new Day(day, Figures.of(list), cpByDay.getOrDefault(day, 0.0))));
    OptionalDouble meanCp = days.stream().mapToDouble(Day::cardPrecision).average();
    return new Result(Figures.of(rows), meanCp, days);
  }
}
