package io.fraudwatch.models.metrics;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One scored transaction as an evaluation sees it: the card (customer) it was made with, its UTC
 * day, the score it got before its label could be known, and its label.
 */
public record ScoredOutcome(String card, LocalDate day, double score, boolean fraud) {

  public ScoredOutcome {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(day, "day");
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score is NaN (card " + card + ", " + day + ")");
    }
  }
}
