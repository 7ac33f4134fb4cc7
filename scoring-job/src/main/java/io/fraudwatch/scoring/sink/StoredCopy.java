package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.ScoredTransaction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the tables hold for a transaction id that a partition brings again: the history row's
 * content, and where the scored row came from in Kafka (null when the scored log no longer holds
 * it).
 *
 * <p>A transaction id names one transaction. The same id again is either the same record read again
 * (a replayed batch), a duplicate delivery of it at another offset (a producer's retry: stored
 * once, counted as a duplicate), or a different transaction under a used id, which the job cannot
 * store without two stores disagreeing: it goes to the dead-letter topic.
 */
public record StoredCopy(
    String transactionId,
    String customerId,
    String terminalId,
    Instant eventTime,
    BigDecimal amount,
    Integer kafkaPartition,
    Long kafkaOffset) {

  public enum Repeat {
    /** The very record stored before (a batch written again). */
    SAME_RECORD,
    /** The same content from another Kafka position: a duplicate delivery. */
    DUPLICATE,
    /** Other content under the same transaction id. */
    CONFLICT
  }

  public StoredCopy {
    Objects.requireNonNull(transactionId, "transactionId");
  }

  public Repeat judge(ScoredTransaction row) {
    if (!differences(row).isEmpty()) {
      return Repeat.CONFLICT;
    }
    return kafkaOffset != null
            && kafkaPartition == row.kafkaPartition()
            && kafkaOffset == row.kafkaOffset()
        ? Repeat.SAME_RECORD
        : Repeat.DUPLICATE;
  }

  /** The dead-letter reason of a conflicting repeat: what differs from the stored transaction. */
  public String conflictReason(ScoredTransaction row) {
    return "transaction id already stored with different content: "
        + String.join(", ", differences(row))
        + (kafkaOffset == null
            ? ""
            : " (stored from partition " + kafkaPartition + " offset " + kafkaOffset + ")");
  }

  private List<String> differences(ScoredTransaction row) {
    List<String> out = new ArrayList<>(0);
    differ(out, "event time", row.eventTime(), eventTime);
    differ(out, "customer", row.customerId(), customerId);
    if (terminalId != null) {
      differ(out, "terminal", row.terminalId(), terminalId);
    }
    BigDecimal rowAmount = BigDecimal.valueOf(row.amount()).setScale(2, RoundingMode.HALF_UP);
    if (amount == null || rowAmount.compareTo(amount) != 0) {
      out.add(
          "amount "
              + rowAmount.toPlainString()
              + " (stored "
              + (amount == null ? "none" : amount.toPlainString())
              + ")");
    }
    return out;
  }

  private static void differ(List<String> out, String what, Object value, Object stored) {
    if (!Objects.equals(value, stored)) {
      out.add(what + " " + value + " (stored " + stored + ")");
    }
  }
}
