package io.fraudwatch.features.handbook;

import io.fraudwatch.features.TransactionInput;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One transaction of the handbook's simulated data set.
 *
 * @param scenario the simulator's fraud scenario (0 genuine, 1..3), 0 when the file has no such column
 */
public record HandbookRow(long transactionId, Instant eventTime, String customerId, String terminalId, double amount,
    boolean fraud, int scenario) {

  /** Replay order: event time, then transaction id (the handbook's order within a second is not fixed). */
  public static final Comparator<HandbookRow> REPLAY_ORDER =
      Comparator.comparing(HandbookRow::eventTime).thenComparingLong(HandbookRow::transactionId);

  public HandbookRow {
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(terminalId, "terminalId");
  }

  public TransactionInput toTransactionInput() {
    return new TransactionInput(Long.toString(transactionId), customerId, terminalId, eventTime, amount);
  }
}
