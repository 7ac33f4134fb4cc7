package io.fraudwatch.features.handbook;

import io.fraudwatch.features.TransactionInput;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One transaction of the handbook's simulated data set.
 *
 * @param fraud the truth
 * @param scenario the simulator's fraud scenario (0 genuine, 1..3, 4 for the simulator's card
 *     testing), 0 when the file has no such column
 * @param reportedFraud the label the system is told (column {@code TX_FRAUD_REPORTED}); the truth
 *     when the file has no such column
 */
public record HandbookRow(
    long transactionId,
    Instant eventTime,
    String customerId,
    String terminalId,
    double amount,
    boolean fraud,
    int scenario,
    boolean reportedFraud) {

  /**
   * Replay order: event time, then transaction id (the handbook's order within a second is not
   * fixed).
   */
  public static final Comparator<HandbookRow> REPLAY_ORDER =
      Comparator.comparing(HandbookRow::eventTime).thenComparingLong(HandbookRow::transactionId);

  public HandbookRow {
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(terminalId, "terminalId");
  }

  /** A row whose reported label is the truth. */
  public HandbookRow(
      long transactionId,
      Instant eventTime,
      String customerId,
      String terminalId,
      double amount,
      boolean fraud,
      int scenario) {
    this(transactionId, eventTime, customerId, terminalId, amount, fraud, scenario, fraud);
  }

  /**
   * The row as the system knows it: its reported label as the label. What is fitted on and written
   * into the feature history; the truth is for assessing.
   */
  public HandbookRow asReported() {
    return reportedFraud == fraud
        ? this
        : new HandbookRow(
            transactionId,
            eventTime,
            customerId,
            terminalId,
            amount,
            reportedFraud,
            scenario,
            reportedFraud);
  }

  public TransactionInput toTransactionInput() {
    return new TransactionInput(
        Long.toString(transactionId), customerId, terminalId, eventTime, amount);
  }
}
