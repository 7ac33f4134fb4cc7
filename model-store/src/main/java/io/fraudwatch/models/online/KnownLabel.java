package io.fraudwatch.models.online;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A fraud label as it arrives (the Avro {@code Label} without its source): which transaction, the
 * verdict, since when.
 */
public record KnownLabel(String transactionId, boolean fraud, Instant knownAt)
    implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  public KnownLabel {
    if (transactionId == null || transactionId.isEmpty()) {
      throw new IllegalArgumentException("a label needs a transaction id");
    }
    Objects.requireNonNull(knownAt, "known-at of the label of " + transactionId);
  }
}
