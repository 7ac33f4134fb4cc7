package io.fraudwatch.features;

import java.time.Instant;
import java.util.Objects;

/** What the feature computation needs to know about a transaction being scored. */
public record TransactionInput(
    String transactionId, String customerId, String terminalId, Instant eventTime, double amount) {

  public TransactionInput {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(terminalId, "terminalId");
    Objects.requireNonNull(eventTime, "eventTime");
    if (!Double.isFinite(amount)) {
      throw new IllegalArgumentException(
          "transaction " + transactionId + " has a non-finite amount: " + amount);
    }
  }

  public CustomerEvent customerEvent() {
    return new CustomerEvent(transactionId, customerId, eventTime, amount);
  }

  /** The terminal side of this transaction, its label not yet known. */
  public TerminalEvent terminalEvent() {
    return new TerminalEvent(transactionId, terminalId, eventTime, null, null);
  }
}
