package io.fraudwatch.scoring.sink;

import io.fraudwatch.features.LabelPrecedence;
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
public record LabelRecord(String transactionId, boolean fraud, Instant knownAt, String source)
    implements Serializable {

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
      throw new IllegalArgumentException(
          "label of transaction "
              + transactionId
              + " has source '"
              + source
              + "', expected one of "
              + SOURCES);
    }
  }

  /**
   * Whether this label replaces {@code current} for the same transaction ({@link LabelPrecedence}).
   */
  public boolean supersedes(LabelRecord current) {
    return LabelPrecedence.supersedes(fraud, current.fraud, knownAt.compareTo(current.knownAt));
  }
}
