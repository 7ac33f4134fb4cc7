package io.fraudwatch.models.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Card precision@k per day on a live system, computed from what is known now rather than from a
 * closed test set: a card-day is compromised when a fraud label of the card's transactions that day
 * is known, and a card leaves the pool of the days after one of its fraud labels became known
 * ({@code known_at}), the way investigators would have blocked it. Recent days are incomplete until
 * their labels have arrived (one label delay), so their figure rises as labels come in.
 */
public final class LiveCardPrecision {
  private LiveCardPrecision() {}

  /**
   * @param cardDays one outcome per card and day: the card's highest score that day, and whether
   *     any of its transactions that day is labelled fraud (equivalent to one per transaction for
   *     {@link CardPrecision})
   * @param fraudKnownAt per card, when its first fraud label became known
   */
  public static CardPrecision.Result perDay(
      Collection<ScoredOutcome> cardDays, Map<String, Instant> fraudKnownAt, int k) {
    KnownCompromisedCards.Builder known =
        new KnownCompromisedCards.Builder(Instant.MIN, Duration.ZERO);
    fraudKnownAt.forEach((card, at) -> known.add(card, at, true));
    return CardPrecision.atK(known.build().remove(cardDays), k);
  }
}
