package io.fraudwatch.models.metrics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One scored transaction as an evaluation sees it: the card (customer) it was made with, its UTC day, the score it
 * got before its label could be known, and its label.
 */
public record ScoredOutcome(String card, LocalDate day, double score, boolean fraud) {

  public ScoredOutcome {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(day, "day");
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score is NaN (card " + card + ", " + day + ")");
    }
  }

  /** The outcome of a transaction at {@code eventTime}, on its UTC day. */
  public static ScoredOutcome at(String card, Instant eventTime, double score, boolean fraud) {
    return new ScoredOutcome(card, LocalDate.ofInstant(eventTime, ZoneOffset.UTC), score, fraud);
  }
}
