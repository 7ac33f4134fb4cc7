package io.fraudwatch.models.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cards already known to be compromised, by the rule with which the Fraud Detection Handbook builds
 * its test sets ({@code get_train_test_set}, chapter 3): the cards with a fraud in the training
 * week, plus, for each test day, the cards with a fraud whose label was known before that day began
 * (a fraud on day D is known from day D + delay + 1 with the 7-day delay). Their transactions are
 * left out of the test day: such a card would be blocked already, and scoring it again says nothing
 * about detection. The handbook's published figures are computed on test sets built this way, for
 * all three metrics.
 *
 * <p>Generalised to any label delay: a card is known compromised on day {@code d} when one of its
 * frauds at or after {@code countFrom} has {@code eventTime + labelDelay} strictly before the start
 * of {@code d} (UTC). With a 7-day delay and {@code countFrom} at the start of the handbook's
 * training week this is exactly the handbook's set.
 */
public final class KnownCompromisedCards {

  private final Map<String, Instant> knownAt;

  private KnownCompromisedCards(Map<String, Instant> knownAt) {
    this.knownAt = Map.copyOf(knownAt);
  }

  /**
   * Collects the frauds at or after {@code countFrom}; each card is known from its first fraud's
   * label.
   */
  public static final class Builder {
    private final Instant countFrom;
    private final Duration labelDelay;
    private final Map<String, Instant> knownAt = new HashMap<>();

    public Builder(Instant countFrom, Duration labelDelay) {
      this.countFrom = Objects.requireNonNull(countFrom, "countFrom");
      this.labelDelay = Objects.requireNonNull(labelDelay, "labelDelay");
      if (labelDelay.isNegative()) {
        throw new IllegalArgumentException("label delay must not be negative, got " + labelDelay);
      }
    }

    /**
     * One labelled transaction; genuine ones and frauds before {@code countFrom} change nothing.
     */
    public Builder add(String card, Instant eventTime, boolean fraud) {
      if (fraud && !eventTime.isBefore(countFrom)) {
        knownAt.merge(card, eventTime.plus(labelDelay), (a, b) -> a.isBefore(b) ? a : b);
      }
      return this;
    }

    public KnownCompromisedCards build() {
      return new KnownCompromisedCards(knownAt);
    }
  }

  /** Whether {@code card} is known compromised when {@code day} (UTC) begins. */
  public boolean knownOn(String card, LocalDate day) {
    Instant known = knownAt.get(card);
    return known != null && known.isBefore(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /** The outcomes whose card was not known compromised on their day, in their order. */
  public List<ScoredOutcome> remove(Collection<ScoredOutcome> outcomes) {
    return outcomes.stream().filter(o -> !knownOn(o.card(), o.day())).toList();
  }

  /** Cards with a counted fraud, whenever it became known. */
  public int size() {
    return knownAt.size();
  }
}
