package io.fraudwatch.app.pipeline;

import io.fraudwatch.app.replay.ReplaySink;
import io.fraudwatch.avro.Label;
import io.fraudwatch.avro.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A replay sink in front of the job: counts the transactions handed to Kafka (and the latest event
 * time), and, with a lag bound, holds the replay back while the job has more than that many
 * transactions still to take, so a replay as fast as the job keeps up never floods Kafka and the
 * database. The wait ends at once when a stop is requested.
 *
 * <p>With the learner's steps of event time ({@code learning.event-time-step}), it also holds the
 * replay at each step's end: once a transaction past the end is sent (it brings the job's stream
 * past it, which releases the step's labels), the next one waits until the learner has learned the
 * step and cut the version due, so a new version takes over at the same transaction at every run,
 * whatever the machine's speed. It starts once the learner has reported its first step; a wait
 * longer than the timeout gives up (counted).
 */
final class FlowSink implements ReplaySink {
  private static final long POLL_MILLIS = 20;

  private final ReplaySink delegate;
  private final OptionalLong maxLag;
  private final LongSupplier taken;
  private final BooleanSupplier stopRequested;
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong stepWaitsGivenUp = new AtomicLong();
  private final Optional<LearnerSteps> learnerSteps;
  private volatile Instant lastEventTime;

  /**
   * The learner's steps: their length, how far it has learned (empty before its first step), how
   * long to wait for it at most.
   */
  record LearnerSteps(
      Duration step, Supplier<Optional<Instant>> learnedThrough, Duration timeout) {}

  /**
   * @param taken transactions the job has taken so far
   */
  FlowSink(
      ReplaySink delegate,
      OptionalLong maxLag,
      LongSupplier taken,
      BooleanSupplier stopRequested,
      Optional<LearnerSteps> learnerSteps) {
    this.delegate = delegate;
    this.learnerSteps = learnerSteps;
    this.maxLag = maxLag;
    this.taken = taken;
    this.stopRequested = stopRequested;
  }

  @Override
  public void send(Transaction transaction) {
    learnerSteps.ifPresent(this::awaitLearner);
    if (maxLag.isPresent()) {
      while (transactions.get() - taken.getAsLong() >= maxLag.getAsLong()
          && !stopRequested.getAsBoolean()) {
        pause();
      }
    }
    delegate.send(transaction);
    lastEventTime = transaction.getEventTime();
    transactions.incrementAndGet();
  }

  /** Waits for the learner to have learned through the last step end the replay went past. */
  private void awaitLearner(LearnerSteps steps) {
    Instant last = lastEventTime;
    // before its first step the job may still be starting (a minute on a loaded machine), and the
    // learner has no version to hand over
    if (last == null || steps.learnedThrough().get().isEmpty()) {
      return;
    }
    long step = steps.step().toMillis();
    // the largest step end strictly before the last transaction sent
    Instant passed = Instant.ofEpochMilli(Math.floorDiv(last.toEpochMilli() - 1, step) * step);
    if (learned(steps, passed)) {
      return;
    }
    delegate.flush(); // the transaction past the step's end must reach the job
    long deadline = System.nanoTime() + steps.timeout().toNanos();
    while (!learned(steps, passed) && !stopRequested.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        stepWaitsGivenUp.incrementAndGet();
        return;
      }
      pause();
    }
  }

  private static boolean learned(LearnerSteps steps, Instant through) {
    return steps.learnedThrough().get().filter(t -> !t.isBefore(through)).isPresent();
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted while waiting for the job", e);
    }
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

  /** Waits for the learner that timed out: past those steps, runs may differ. */
  long stepWaitsGivenUp() {
    return stepWaitsGivenUp.get();
  }

  /** The event time of the latest transaction sent, null before the first. */
  Instant lastEventTime() {
    return lastEventTime;
  }
}
