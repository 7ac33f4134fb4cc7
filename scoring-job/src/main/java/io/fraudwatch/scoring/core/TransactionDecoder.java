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
    if (tx.getEventTime().isAfter(latestEventTime)) {
      return new DecodedTransaction.DeadLetter(
          key,
          value,
          INVALID,
          "eventTime "
              + tx.getEventTime()
              + " is after "
              + latestEventTime
              + ", further ahead of this executor's clock than job.max-event-time-ahead",
          partition,
          offset);
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
}
