package io.fraudwatch.app.pipeline;

import io.fraudwatch.app.replay.ReplaySink;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A replay sink in front of the job: counts the transactions handed to Kafka (and the latest event
 * time), and, with a lag bound, holds the replay back while the job has more than that many
 * transactions still to take, so a replay as fast as the job keeps up never floods Kafka and the
 * database. The wait ends at once when a stop is requested.
 */
final class FlowSink implements ReplaySink {
  private static final long POLL_MILLIS = 20;

  private final ReplaySink delegate;
  private final OptionalLong maxLag;
  private final LongSupplier taken;
  private final BooleanSupplier stopRequested;
  private final AtomicLong transactions = new AtomicLong();
  private volatile Instant lastEventTime;

  /**
   * @param taken transactions the job has taken so far
   */
  FlowSink(
      ReplaySink delegate, OptionalLong maxLag, LongSupplier taken, BooleanSupplier stopRequested) {
    this.delegate = delegate;
    this.maxLag = maxLag;
    this.taken = taken;
    this.stopRequested = stopRequested;
  }

  @Override
  public void send(Transaction transaction) {
    if (maxLag.isPresent()) {
      while (transactions.get() - taken.getAsLong() >= maxLag.getAsLong()
          && !stopRequested.getAsBoolean()) {
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("replay interrupted while waiting for the job", e);
        }
      }
    }
    delegate.send(transaction);
    lastEventTime = transaction.getEventTime();
    transactions.incrementAndGet();
  }

  @Override
  public void send(Label label) {
    delegate.send(label);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public void close() {
    delegate.close();
  }

  long transactions() {
    return transactions.get();
  }

  /** The event time of the latest transaction sent, null before the first. */
  Instant lastEventTime() {
    return lastEventTime;
  }
}
