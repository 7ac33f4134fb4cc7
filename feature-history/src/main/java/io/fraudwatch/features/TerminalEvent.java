package io.fraudwatch.features;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One past transaction at a terminal, with its fraud label once known. A label arriving later is
 * the same transaction again with {@code fraud} and {@code labelKnownAt} set.
 *
 * @param fraud the label, or null while unknown
 * @param labelKnownAt when the label became known, or null while unknown
 */
public record TerminalEvent(
    String transactionId, String terminalId, Instant eventTime, Boolean fraud, Instant labelKnownAt)
    implements Serializable {

  public TerminalEvent {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(terminalId, "terminalId");
    Objects.requireNonNull(eventTime, "eventTime");
    if ((fraud == null) != (labelKnownAt == null)) {
      throw new IllegalArgumentException(
          "transaction "
              + transactionId
              + ": fraud and labelKnownAt must be both set or both null, got fraud="
              + fraud
              + ", labelKnownAt="
              + labelKnownAt);
    }
  }

  public boolean labelled() {
    return fraud != null;
  }
}
