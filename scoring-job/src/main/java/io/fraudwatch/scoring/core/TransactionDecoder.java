package io.fraudwatch.scoring.core;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.AvroDecodeException;
import io.fraudwatch.avro.StoreLimits;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.avro.TransactionValidation;
import io.fraudwatch.features.TransactionInput;
import java.time.Instant;
import java.util.Optional;

/**
 * Step 1 of the job: Avro bytes to a transaction worth scoring, or a dead letter with the reason.
 * The amount is rounded to cents as the tables store it, so that what is scored, kept in the
 * in-memory history and stored agree.
 */
public final class TransactionDecoder {
  public static final String INVALID = "INVALID";

  private TransactionDecoder() {}

  /**
   * @param latestEventTime the latest event time accepted: a transaction stamped after it goes to
   *     the dead-letter topic ({@code job.max-event-time-ahead}), since one bad clock would move
   *     the stream's event time, which releases labels to the learner and makes partitions
   */
  public static DecodedTransaction decode(
      byte[] key, byte[] value, int partition, long offset, Instant latestEventTime) {
    Transaction tx;
    try {
      tx = AvroCodec.TRANSACTION.decode(value);
    } catch (AvroDecodeException e) {
      return new DecodedTransaction.DeadLetter(
          key, value, e.reason().name(), e.getMessage(), partition, offset);
    }
    Optional<String> invalid = TransactionValidation.invalidReason(tx);
    if (invalid.isPresent()) {
      return new DecodedTransaction.DeadLetter(
          key, value, INVALID, invalid.get(), partition, offset);
    }
    Optional<String> ahead = aheadOfTheClock("eventTime", tx.getEventTime(), latestEventTime);
    if (ahead.isPresent()) {
      return new DecodedTransaction.DeadLetter(key, value, INVALID, ahead.get(), partition, offset);
    }
    return new DecodedTransaction.Valid(
        new TransactionInput(
            tx.getTransactionId(),
            tx.getCustomerId(),
            tx.getTerminalId(),
            tx.getEventTime(),
            StoreLimits.cents(tx.getAmount())),
        partition,
        offset);
  }

  /**
   * Why {@code time} (the field {@code name}) is refused, when it is after {@code latest}: the
   * latest time {@code job.max-event-time-ahead} allows by this executor's clock.
   */
  public static Optional<String> aheadOfTheClock(String name, Instant time, Instant latest) {
    return time.isAfter(latest)
        ? Optional.of(
            name
                + " "
                + time
                + " is after "
                + latest
                + ", further ahead of this executor's clock than job.max-event-time-ahead")
        : Optional.empty();
  }
}
