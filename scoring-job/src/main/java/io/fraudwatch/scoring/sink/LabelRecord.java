package io.fraudwatch.scoring.sink;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A verdict on a transaction from the labels topic.
 *
 * @param knownAt when the verdict became known (e.g. the chargeback date)
 * @param source who gave it: one of {@link #SOURCES}
 */
public record LabelRecord(String transactionId, boolean fraud, Instant knownAt, String source) implements Serializable {

  /** The sources the labels table accepts. */
  public static final Set<String> SOURCES = Set.of("CHARGEBACK", "INVESTIGATOR", "CUSTOMER");

  public LabelRecord {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(knownAt, "knownAt");
    Objects.requireNonNull(source, "source");
    if (transactionId.isEmpty()) {
      throw new IllegalArgumentException("label has an empty transaction id");
    }
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("label of transaction " + transactionId + " has source '" + source
          + "', expected one of " + SOURCES);
    }
  }

  /**
   * Whether this label replaces {@code current} for the same transaction. The rule is the one the in-memory
   * terminal history applies ({@code TerminalHistory}), so the stored label does not depend on arrival order: an
   * equal verdict keeps the earliest time it became known; a different verdict known later replaces it (a
   * correction); at equal times fraud wins.
   */
  public boolean supersedes(LabelRecord current) {
    if (fraud == current.fraud) {
      return knownAt.isBefore(current.knownAt);
    }
    int order = knownAt.compareTo(current.knownAt);
    return order > 0 || (order == 0 && fraud);
  }
}
