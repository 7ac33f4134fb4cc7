package io.fraudwatch.features;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One past transaction of a customer, as stored in the customer history. */
public record CustomerEvent(
    String transactionId, String customerId, Instant eventTime, double amount)
    implements Serializable {

  public CustomerEvent {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(eventTime, "eventTime");
    if (!Double.isFinite(amount)) {
      throw new IllegalArgumentException(
          "transaction " + transactionId + " has a non-finite amount: " + amount);
    }
  }
}
