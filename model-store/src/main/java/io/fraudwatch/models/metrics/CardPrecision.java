package io.fraudwatch.models.metrics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * Card precision top-k, as the Fraud Detection Handbook defines and computes it (chapter 4,
 * "Precision top-k metrics"; {@code card_precision_top_k} in its shared functions). Investigators
 * can check k cards a day. On each day, a card's score is the highest score of its transactions
 * that day, and the card is compromised if any of them is a fraud. The k cards with the highest
 * scores are checked: CP@k of the day is the number of compromised cards among them divided by k
 * (by k even on a day with fewer than k cards, so a day's best possible value can be below one). A
 * card found compromised that way is blocked: it leaves the pool of every following day. CP@k of a
 * period is the mean over its days that have transactions.
 *
 * <p>Ties: cards with equal scores are ranked by card id (numerically when both ids are whole
 * numbers, else as text), so that the figure is reproducible. The handbook's pandas sort leaves the
 * order of tied cards unspecified; continuous scores rarely tie except where the logistic function
 * saturates.
 */
public final class CardPrecision {

  /**
   * One day.
   *
   * @param cards cards in the day's pool (cards with transactions that day, minus those found on
   *     earlier days)
   * @param compromisedCards of which compromised: the most the day could find
   * @param detected compromised cards among the k checked
   */
  public record Day(
      LocalDate day, int cards, int compromisedCards, int detected, double precision) {}

  /**
   * @param mean over the days, empty when there were none
   */
  public record Result(int k, List<Day> days, OptionalDouble mean) {
    public Result {
      days = List.copyOf(days);
    }
  }

  /** Orders by score, highest first, then by card id. */
  static final Comparator<Map.Entry<String, Double>> RANKING =
      Map.Entry.<String, Double>comparingByValue()
          .reversed()
          .thenComparing(Map.Entry::getKey, CardPrecision::compareIds);

  private CardPrecision() {}

  /** CP@k per day, days in ascending order, over the days the outcomes cover. */
  public static Result atK(Collection<ScoredOutcome> outcomes, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    TreeMap<LocalDate, List<ScoredOutcome>> byDay = new TreeMap<>();
    for (ScoredOutcome o : outcomes) {
      byDay.computeIfAbsent(o.day(), d -> new ArrayList<>()).add(o);
    }
    Set<String> blocked = new HashSet<>();
    List<Day> days = new ArrayList<>();
    for (Map.Entry<LocalDate, List<ScoredOutcome>> e : byDay.entrySet()) {
      Map<String, Double> cardScore = new HashMap<>();
      Set<String> compromised = new HashSet<>();
      for (ScoredOutcome o : e.getValue()) {
        if (!blocked.contains(o.card())) {
          cardScore.merge(o.card(), o.score(), Math::max);
          if (o.fraud()) {
            compromised.add(o.card());
          }
        }
      }
      List<Map.Entry<String, Double>> ranked = new ArrayList<>(cardScore.entrySet());
      ranked.sort(RANKING);
      int detected = 0;
      for (Map.Entry<String, Double> card : ranked.subList(0, Math.min(k, ranked.size()))) {
        if (compromised.contains(card.getKey())) {
          detected++;
          blocked.add(card.getKey());
        }
      }
      days.add(
          new Day(
              e.getKey(), cardScore.size(), compromised.size(), detected, (double) detected / k));
    }
    OptionalDouble mean = days.stream().mapToDouble(Day::precision).average();
    return new Result(k, days, mean);
  }

  /** Whole numbers by value (so "9" before "10"), anything else as text, whole numbers first. */
  static int compareIds(String a, String b) {
    Long x = wholeNumber(a);
    Long y = wholeNumber(b);
    if (x != null && y != null) {
      return Long.compare(x, y);
    }
    if (x != null || y != null) {
      return x != null ? -1 : 1;
    }
    return a.compareTo(b);
  }

  private static Long wholeNumber(String id) {
    if (id.isEmpty() || id.length() > 18) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return Long.parseLong(id);
  }
}
