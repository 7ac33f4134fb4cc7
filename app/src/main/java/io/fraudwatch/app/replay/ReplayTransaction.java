package io.fraudwatch.app.replay;

import io.fraudwatch.avro.Transaction;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.simulator.SimulatedTransaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One transaction to replay, with its ground truth. Values are passed on as they are (an invalid
 * amount reaches the job, which dead-letters it); only what the replay itself needs is required.
 *
 * @param eventTime truncated to milliseconds, the precision of the wire format
 * @param fraud the truth, what the replayed system is assessed against
 * @param reportedFraud the label the replay sends (differs from the truth only in data with
 *     simulated label noise)
 */
public record ReplayTransaction(
    String transactionId,
    Instant eventTime,
    String customerId,
    String terminalId,
    double amount,
    boolean fraud,
    boolean reportedFraud) {

  public ReplayTransaction {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(terminalId, "terminalId");
    eventTime = eventTime.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A transaction whose reported label is the truth. */
  public ReplayTransaction(
      String transactionId,
      Instant eventTime,
      String customerId,
      String terminalId,
      double amount,
      boolean fraud) {
    this(transactionId, eventTime, customerId, terminalId, amount, fraud, fraud);
  }

  /** Ids as decimal strings, as the simulator's CSV writes them. */
  public static ReplayTransaction of(SimulatedTransaction t) {
    return of(t, t.transactionId());
  }

  /** The simulated transaction under another id. */
  public static ReplayTransaction of(SimulatedTransaction t, long id) {
    return new ReplayTransaction(
        Long.toString(id),
        t.eventTime(),
        Integer.toString(t.customerId()),
        Integer.toString(t.terminalId()),
        t.amount(),
        t.fraud(),
        t.reportedFraud());
  }

  public static ReplayTransaction of(HandbookRow row) {
    return new ReplayTransaction(
        Long.toString(row.transactionId()),
        row.eventTime(),
        row.customerId(),
        row.terminalId(),
        row.amount(),
        row.fraud(),
        row.reportedFraud());
  }

  /** The wire record; channel, currency and country are unknown (null) in replayed data. */
  public Transaction toAvro() {
    return Transaction.newBuilder()
        .setTransactionId(transactionId)
        .setEventTime(eventTime)
        .setCustomerId(customerId)
        .setTerminalId(terminalId)
        .setAmount(amount)
        .build();
  }
}
