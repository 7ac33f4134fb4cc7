package io.fraudwatch.features.history;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor's in-memory feature history, kept current from a {@link HistorySource}: a full
 * snapshot first and then whenever the last one is older than the full-refresh interval (wall
 * clock), a delta since the last read otherwise. Rows merge into the one {@link HistoryState},
 * which also receives the transactions the executor scores, so a refresh never loses what tasks
 * added meanwhile; the rows that this state's own writes stored ({@link #ownWrite}) are not read
 * back by deltas.
 *
 * <p>When the source fails the cache keeps its state, counts the failure and retries at the next
 * {@link #refresh}; the first failure of a streak is logged with its cause, and so is the recovery.
 *
 * <p>A full snapshot streams from the source into a state built aside, which then joins the one
 * state in one step: readers never see part of a snapshot, a failed read leaves the state as it
 * was, and no list of all the rows is held (while it loads, the heap holds the state serving, the
 * one being built and one fetch of rows).
 *
 * <p>Thread-safe: concurrent tasks of an executor share it. Refreshes run one at a time and read
 * the source without holding the state, so feature computation in {@link #withState} only waits for
 * the merge. {@link #refresh(Instant, Object)} reads once per round of work (a streaming batch) and
 * lets the round's other callers reuse that read.
 */
public final class HistoryCache {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryCache.class);

  /** What a {@link #refresh} did. */
  public enum Refresh {
    FULL,
    DELTA,
    FAILED,
    /** Nothing read: the round's refresh had already brought the state up to date. */
    SHARED
  }

  /** Totals since the cache was made. {@code rowsLoaded} counts rows read, duplicates included. */
  public record Counters(long fullRefreshes, long deltaRefreshes, long failures, long rowsLoaded) {}

  private final HistorySource source;
  private final Duration fullRefreshInterval;
  private final Clock clock;

  private final ReentrantLock stateLock = new ReentrantLock();
  private final HistoryState state;

  private final Object refreshLock = new Object();
  // guarded by refreshLock
  private Instant lastFullAt;
  // lastFullAt for readers outside the refresh (metrics), which must not wait for a snapshot being
  // loaded
  private volatile Instant lastSnapshotAt;
  private long changePosition;
  // the round of the last refresh that succeeded, null before it
  private Object refreshedRound;
  private long failureStreak;
  private Instant failingSince;

  /**
   * Transaction ids (xid8) of writes of the state's own transactions, which deltas need not read
   * back.
   */
  private final Set<Long> ownWrites = ConcurrentHashMap.newKeySet();

  /** How many own-write ids a delta leaves out at most: each is a value in the read's filter. */
  static final int MAX_OWN_WRITES = 4096;

  private final AtomicLong fullRefreshes = new AtomicLong();
  private final AtomicLong deltaRefreshes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong rowsLoaded = new AtomicLong();

  /**
   * @param fullRefreshInterval how long after a full snapshot the next one is due (wall clock);
   *     deltas in between
   * @param clock wall clock for the full-refresh interval
   */
  public HistoryCache(
      HistorySource source,
      HandbookFeatures.Config config,
      Duration fullRefreshInterval,
      Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.state = new HistoryState(Objects.requireNonNull(config, "config"));
    this.fullRefreshInterval = Objects.requireNonNull(fullRefreshInterval, "fullRefreshInterval");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (fullRefreshInterval.isNegative() || fullRefreshInterval.isZero()) {
      throw new IllegalArgumentException(
          "fullRefreshInterval must be positive, got " + fullRefreshInterval);
    }
  }

  /**
   * Brings the state up to date and prunes it (to the start of {@code streamTime}'s UTC day).
   *
   * @param streamTime the earliest event time the job still expects to score (for instance the
   *     batch's latest event time minus the allowed lateness); history is loaded as far back as the
   *     feature windows reach from it, and older history is dropped
   */
  public Refresh refresh(Instant streamTime) {
    Objects.requireNonNull(streamTime, "streamTime");
    synchronized (refreshLock) {
      return read(streamTime);
    }
  }

  /**
   * {@link #refresh(Instant)} once per {@code round}: the first call for a round reads, a call for
   * the same round that arrives while that read runs waits for it, and a later one returns {@link
   * Refresh#SHARED} at once (after pruning to its own stream time). A failed read is not shared:
   * the next call for the round tries again.
   *
   * <p>Sharing is right when every caller of a round needs only what was committed before the round
   * started, as the partition tasks of a streaming batch do (rows of earlier batches and the labels
   * stored ahead of the batch's scoring). Since the first read of a round starts after the round
   * did, it saw all of that. What it cannot see, rows committed by others during the round, a later
   * caller of the same round might see today only by the luck of its timing.
   *
   * @param round identifies the round, by {@link Object#equals}: for instance the batch time
   */
  public Refresh refresh(Instant streamTime, Object round) {
    Objects.requireNonNull(streamTime, "streamTime");
    Objects.requireNonNull(round, "round");
    synchronized (refreshLock) {
      if (round.equals(refreshedRound)) {
        Instant watermark = watermark(streamTime);
        withState(
            s -> {
              s.prune(watermark);
              return null;
            });
        return Refresh.SHARED;
      }
      Refresh done = read(streamTime);
      if (done != Refresh.FAILED) {
        refreshedRound = round;
      }
      return done;
    }
  }

  /** One read and merge; the caller holds {@link #refreshLock}. */
  private Refresh read(Instant streamTime) {
    Instant customerSince = streamTime.minus(HandbookFeatures.CUSTOMER_HORIZON);
    Instant terminalSince = streamTime.minus(state.config().terminalHorizon());
    Instant watermark = watermark(streamTime);
    Instant now = clock.instant();
    boolean full = lastFullAt == null || !now.isBefore(lastFullAt.plus(fullRefreshInterval));
    long readStart = System.nanoTime();
    long position;
    long rowsRead;
    HistoryRows delta = null;
    HistoryState built = null;
    try {
      if (full) {
        // built aside from the rows as they arrive and joined in one step below: readers keep
        // the state as it was until then, and a read that fails half-way leaves it untouched
        HistoryState.Builder aside = HistoryState.builder(state.config());
        long[] count = {0};
        position =
            source.snapshot(
                customerSince,
                terminalSince,
                (customerRows, terminalRows) -> {
                  // a load takes minutes at millions of customers: a thread asked to stop
                  // (interrupted) gives it up at the next fetch
                  if (Thread.currentThread().isInterrupted()) {
                    throw new HistoryUnavailableException(
                        "history snapshot abandoned after "
                            + count[0]
                            + " rows: the thread was interrupted",
                        null);
                  }
                  aside.add(customerRows, terminalRows);
                  count[0] += customerRows.size() + terminalRows.size();
                });
        built = aside.build();
        rowsRead = count[0];
      } else {
        delta =
            source.changesSince(
                changePosition, Set.copyOf(ownWrites), customerSince, terminalSince);
        position = delta.changePosition();
        rowsRead = delta.size();
      }
    } catch (RuntimeException e) {
      recordFailure(full, now, e);
      withState(
          s -> {
            s.prune(watermark);
            return null;
          });
      return Refresh.FAILED;
    }
    long mergeStart = System.nanoTime();
    HistoryState snapshot = built;
    HistoryRows rows = delta;
    HistoryState.MergeCounts merged =
        withState(
            s -> {
              HistoryState.MergeCounts counts =
                  snapshot != null
                      ? s.absorb(snapshot)
                      : s.mergeSnapshot(rows.customerRows(), rows.terminalRows());
              s.prune(watermark);
              return counts;
            });
    long readMillis = (mergeStart - readStart) / 1_000_000;
    long mergeMillis = (System.nanoTime() - mergeStart) / 1_000_000;
    changePosition = position;
    // finished before the read's snapshot: a later delta starts above them and cannot meet their
    // rows
    ownWrites.removeIf(xid -> xid < changePosition);
    rowsLoaded.addAndGet(rowsRead);
    if (full) {
      // the interval counts from the end of the load: a load that takes longer than the interval
      // (millions of customers) is followed by deltas, not at once by the next load
      Instant loaded = clock.instant();
      lastFullAt = loaded;
      lastSnapshotAt = loaded;
      fullRefreshes.incrementAndGet();
      int[] held = withState(s -> new int[] {s.customerCount(), s.terminalCount()});
      // the bench reads this line from executors' logs (ExecutorFootprint.SnapshotLoad): keep its
      // shape. "read" includes building the state aside as the rows arrive, "merged" is joining
      // it
      LOG.info(
          "history snapshot: {} rows read in {} ms, merged in {} ms; {} customer events added, {} terminal"
              + " events changed; {} customers and {} terminals held",
          rowsRead,
          readMillis,
          mergeMillis,
          merged.customerEventsAdded(),
          merged.terminalEventsChanged(),
          held[0],
          held[1]);
    } else {
      deltaRefreshes.incrementAndGet();
      LOG.debug(
          "history delta: {} rows read in {} ms, merged in {} ms; {} customer events added, {} terminal"
              + " events changed",
          rowsRead,
          readMillis,
          mergeMillis,
          merged.customerEventsAdded(),
          merged.terminalEventsChanged());
    }
    if (failureStreak > 0) {
      LOG.info(
          "history refresh recovered after {} failed attempt(s) since {}",
          failureStreak,
          failingSince);
      failureStreak = 0;
      failingSince = null;
    }
    return full ? Refresh.FULL : Refresh.DELTA;
  }

  /**
   * Pruning visits every customer and terminal (at ten million customers the baseline's refreshes,
   * prune included, took 0.6-1.7 s; the prune alone was not timed): at the start of the stream
   * time's UTC day, it runs once a day of stream time, for at most a day more of history held (a
   * thirtieth of the customer windows' 30 days). The features never read past their windows, so
   * only memory depends on it. A replay or a bench, whose stream time runs hours ahead in a second,
   * pays it once a day of stream time too, not once an hour.
   */
  private static Instant watermark(Instant streamTime) {
    return streamTime.truncatedTo(ChronoUnit.DAYS);
  }

  /**
   * Runs {@code work} with exclusive use of the state: compute features, add the scored
   * transactions ({@link HistoryState#addTransaction}). Do not keep the state beyond the call.
   */
  public <T> T withState(Function<HistoryState, T> work) {
    stateLock.lock();
    try {
      return work.apply(state);
    } finally {
      stateLock.unlock();
    }
  }

  /**
   * Tells the cache that PostgreSQL transaction {@code changeXid} (its xid8, the {@code change_xid}
   * it stamps) wrote history rows for transactions already added to the state ({@link
   * HistoryState#addTransaction} in {@link #withState}), so that deltas need not read them back;
   * call it after the write committed or when it is about to (a transaction that rolls back leaves
   * no rows behind, and its id is forgotten like the others). Rows that transaction wrote with a
   * label, which the state did not get, are still read. A session that holds its snapshot open
   * keeps the read position back, so the ids are not forgotten; past {@link #MAX_OWN_WRITES} they
   * are all dropped, which only means those rows are read back and merged again (merging is
   * idempotent).
   */
  public void ownWrite(long changeXid) {
    if (ownWrites.size() >= MAX_OWN_WRITES) {
      ownWrites.clear();
    }
    ownWrites.add(changeXid);
  }

  /**
   * Whether a full snapshot has been loaded; until then features see only what the stream added.
   */
  public boolean loaded() {
    return fullRefreshes.get() > 0;
  }

  /** When the last full snapshot was loaded (wall clock, its end); empty before the first. */
  public Optional<Instant> lastSnapshotAt() {
    return Optional.ofNullable(lastSnapshotAt);
  }

  public Counters counters() {
    return new Counters(
        fullRefreshes.get(), deltaRefreshes.get(), failures.get(), rowsLoaded.get());
  }

  private void recordFailure(boolean full, Instant now, RuntimeException e) {
    failures.incrementAndGet();
    if (failureStreak++ == 0) {
      failingSince = now;
      LOG.warn(
          "history {} failed; keeping the history held and retrying at the next refresh",
          full ? "snapshot" : "delta",
          e);
    } else {
      LOG.debug(
          "history {} failed again ({} in a row): {}",
          full ? "snapshot" : "delta",
          failureStreak,
          e.toString());
    }
  }
}
