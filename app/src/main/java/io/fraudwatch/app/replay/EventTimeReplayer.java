package io.fraudwatch.app.replay;

import io.fraudwatch.avro.Label;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Replays transactions in event-time order, each followed, one label delay later in event time, by
 * its label: the merged output is in event-time order. A label goes out just before the first
 * transaction whose event time is at or after its knownAt (at equal times the label comes first, as
 * it is known then); labels due at the same instant go out in the order of their transactions.
 *
 * <p>Memory holds the labels pending, about one label delay's worth of transactions. Not
 * thread-safe; one replay per instance at a time.
 */
public final class EventTimeReplayer {
  private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

  private final ReplaySink sink;
  private final ReplayOptions options;
  private final WallClock clock;
  private final Consumer<ReplayProgress> progress;

  private record Pending(Label label, long sequence) {}

  private static final Comparator<Pending> DUE_ORDER =
      Comparator.comparing((Pending p) -> p.label().getKnownAt())
          .thenComparingLong(Pending::sequence);

  /**
   * @param progress called about once a second on the replaying thread; keep it quick
   */
  public EventTimeReplayer(
      ReplaySink sink, ReplayOptions options, WallClock clock, Consumer<ReplayProgress> progress) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Replays everything, then flushes the sink. */
  public ReplayResult replay(Iterator<ReplayTransaction> transactions) throws InterruptedException {
    return replay(transactions, () -> false);
  }

  /**
   * Replays until the input ends or {@code stopRequested} says so (checked before each
   * transaction), then flushes the sink, so that everything counted in the result is delivered.
   *
   * @throws ReplayOrderException when a transaction's event time is before the previous one's
   */
  public ReplayResult replay(
      Iterator<ReplayTransaction> transactions, BooleanSupplier stopRequested)
      throws InterruptedException {
    Pacer pacer =
        options.transactionsPerSecond().isPresent()
            ? Pacer.perSecond(options.transactionsPerSecond().getAsDouble(), clock)
            : Pacer.unlimited();
    PriorityQueue<Pending> pending = new PriorityQueue<>(DUE_ORDER);
    long start = clock.nanoTime();
    long lastReport = start;
    long transactionsAtLastReport = 0;
    long sent = 0;
    long labels = 0;
    Instant first = null;
    Instant previous = null;
    boolean stopped = false;
    while (transactions.hasNext()) {
      if (stopRequested.getAsBoolean()) {
        stopped = true;
        break;
      }
      ReplayTransaction tx = transactions.next();
      if (previous != null && tx.eventTime().isBefore(previous)) {
        throw new ReplayOrderException(tx.transactionId(), tx.eventTime(), previous);
      }
      while (!pending.isEmpty() && !pending.peek().label().getKnownAt().isAfter(tx.eventTime())) {
        sink.send(pending.poll().label());
        labels++;
      }
      pacer.acquire();
      sink.send(tx.toAvro());
      pending.add(new Pending(LabelPolicy.labelOf(tx, options.labelDelay()), sent));
      sent++;
      if (first == null) {
        first = tx.eventTime();
      }
      previous = tx.eventTime();
      long now = clock.nanoTime();
      if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
        double rate = (sent - transactionsAtLastReport) * 1e9 / (now - lastReport);
        progress.accept(new ReplayProgress(sent, labels, rate, Duration.ofNanos(now - start)));
        lastReport = now;
        transactionsAtLastReport = sent;
      }
    }
    if (!stopped && options.trailingLabels()) {
      while (!pending.isEmpty()) {
        sink.send(pending.poll().label());
        labels++;
      }
    }
    sink.flush();
    return new ReplayResult(
        sent,
        labels,
        pending.size(),
        Optional.ofNullable(first),
        Optional.ofNullable(previous),
        Duration.ofNanos(clock.nanoTime() - start),
        stopped);
  }
}
