package io.fraudwatch.scoring.state;

import java.io.Serializable;

/**
 * A transaction as stored by the job, reduced to what sessions and activity windows count.
 *
 * @param country the transaction's country, {@link #UNKNOWN_COUNTRY} when it had none
 * @param eventTimeMs event time, UTC epoch milliseconds
 * @param amountCents the amount in cents, so that windows subtract exactly what they added
 */
public record StoredEvent(
    String customerId,
    String terminalId,
    String country,
    long eventTimeMs,
    long amountCents,
    boolean alert)
    implements Serializable {

  public static final String UNKNOWN_COUNTRY = "unknown";

  /** Cents of an amount with at most two decimals (as stored in PostgreSQL). */
  public static long cents(java.math.BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
  }
}
