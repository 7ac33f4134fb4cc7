package io.fraudwatch.features.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.TerminalEvent;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class HistoryCacheTest {

  private static final Duration FULL_EVERY = Duration.ofMinutes(10);
  private static final Instant STREAM_TIME = Instant.parse("2018-05-20T12:00:00Z");
  private static final HandbookFeatures.Config CONFIG = HandbookFeatures.Config.DEFAULT;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T09:00:00Z"));
  private final ScriptedSource source = new ScriptedSource();
  private final HistoryCache cache = new HistoryCache(source, CONFIG, FULL_EVERY, clock);

  @Test
  void loadsAFullSnapshotFirstThenDeltasFromTheLastPosition() {
    source.next(rows(100, customer("1", "c-1", STREAM_TIME.minusSeconds(3600))));
    source.next(rows(140, customer("2", "c-1", STREAM_TIME.minusSeconds(60))));
    source.next(rows(150));

    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FULL);
    clock.advance(Duration.ofSeconds(30));
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.DELTA);
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.DELTA);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 100", "changesSince 140");
    assertThat(cache.counters()).isEqualTo(new HistoryCache.Counters(1, 2, 0, 2));
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(2);
    assertThat(cache.loaded()).isTrue();
  }

  @Test
  void deltasLeaveOutOwnWritesUntilTheyAreBelowTheReadPosition() {
    source.next(rows(100));
    source.next(rows(120));
    source.next(rows(130));
    cache.refresh(STREAM_TIME);

    cache.ownWrite(105);
    cache.ownWrite(125);
    cache.refresh(STREAM_TIME);
    cache.refresh(STREAM_TIME);

    assertThat(source.calls)
        .containsExactly(
            "snapshot", "changesSince 100 not [105, 125]", "changesSince 120 not [125]");
  }

  @Test
  void ownWritesHeldBackByAStuckReadPositionAreDroppedPastTheLimit() {
    source.next(rows(100));
    source.next(rows(100));
    cache.refresh(STREAM_TIME);

    for (long xid = 101; xid <= 100 + HistoryCache.MAX_OWN_WRITES; xid++) {
      cache.ownWrite(xid);
    }
    cache.ownWrite(100_000);
    cache.refresh(STREAM_TIME);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 100 not [100000]");
  }

  @Test
  void takesAFullSnapshotAgainOnceTheIntervalHasElapsed() {
    source.next(rows(100));
    source.next(rows(110));
    source.next(rows(120));
    cache.refresh(STREAM_TIME);

    clock.advance(FULL_EVERY.minusSeconds(1));
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.DELTA);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FULL);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 100", "snapshot");
  }

  @Test
  void theIntervalCountsFromTheEndOfASlowLoad() {
    source.next(rows(100));
    source.next(rows(110));
    source.next(rows(120));
    source.onRead = () -> clock.advance(FULL_EVERY.plusMinutes(5));
    cache.refresh(STREAM_TIME);
    source.onRead = () -> {};

    // the load took longer than the interval: the next refresh is a delta all the same
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.DELTA);
    clock.advance(FULL_EVERY);
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FULL);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 100", "snapshot");
  }

  @Test
  void asksForHistoryAsFarBackAsTheWindowsReachFromStreamTime() {
    source.next(rows(1));
    source.next(rows(2));
    cache.refresh(STREAM_TIME);
    cache.refresh(STREAM_TIME);

    assertThat(source.horizons)
        .containsOnly(
            List.of(
                STREAM_TIME.minus(HandbookFeatures.CUSTOMER_HORIZON),
                STREAM_TIME.minus(CONFIG.terminalHorizon())));
    assertThat(source.horizons.get(0).get(1)).isEqualTo(STREAM_TIME.minus(Duration.ofDays(37)));
  }

  @Test
  void keepsTheStateWhenTheSourceFailsCountsEveryFailureAndLogsTheStreakAndTheRecoveryOnce() {
    Instant past = STREAM_TIME.minus(Duration.ofDays(2));
    source.next(rows(100, customer("1", "c-1", past)));
    source.fail(3);
    source.next(rows(130, customer("2", "c-1", past.plusSeconds(1))));

    try (CapturedLog log = CapturedLog.of(HistoryCache.class)) {
      cache.refresh(STREAM_TIME);
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(5));
        assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FAILED);
      }
      assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(1);
      assertThat(cache.counters().failures()).isEqualTo(3);
      assertThat(log.at(Level.WARN)).hasSize(1);
      assertThat(log.at(Level.WARN).get(0).message()).contains("history delta failed");

      assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.DELTA);
      assertThat(log.at(Level.WARN)).hasSize(1);
      assertThat(log.lines())
          .filteredOn(l -> l.message().contains("recovered after 3 failed attempt(s)"))
          .hasSize(1);
    }
    // the delta after the failures resumes where the last successful read ended
    assertThat(source.calls)
        .containsExactly(
            "snapshot",
            "changesSince 100",
            "changesSince 100",
            "changesSince 100",
            "changesSince 100");
    assertThat(cache.counters()).isEqualTo(new HistoryCache.Counters(1, 1, 3, 2));
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(2);
  }

  @Test
  void retriesTheFullSnapshotUntilOneSucceeds() {
    source.fail(1);
    source.next(rows(100, customer("1", "c-1", STREAM_TIME.minusSeconds(10))));

    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FAILED);
    assertThat(cache.loaded()).isFalse();
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FULL);

    assertThat(cache.loaded()).isTrue();
    assertThat(source.calls).containsExactly("snapshot", "snapshot");
  }

  @Test
  void readersSeeTheStateAsItWasUntilAFullSnapshotHasBeenReadWhole() {
    Instant past = STREAM_TIME.minus(Duration.ofDays(2));
    source.next(rows(100, customer("1", "c-1", past)));
    source.next(
        rows(
            200,
            customer("1", "c-1", past),
            customer("2", "c-1", past.plusSeconds(1)),
            customer("3", "c-2", past.plusSeconds(2)),
            terminal("3", "t-1", past.plusSeconds(2), null, null)));
    cache.refresh(STREAM_TIME);
    List<Long> seenWhileLoading = new ArrayList<>();
    source.onChunk = () -> seenWhileLoading.add(cache.withState(HistoryState::customerEventCount));

    clock.advance(FULL_EVERY);
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FULL);

    assertThat(seenWhileLoading).containsExactly(1L, 1L, 1L, 1L);
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(3);
    assertThat(cache.withState(HistoryState::terminalEventCount)).isEqualTo(1);
    assertThat(cache.counters()).isEqualTo(new HistoryCache.Counters(2, 0, 0, 5));
  }

  @Test
  void aFullSnapshotThatFailsHalfWayLeavesTheStateAsItWasAndIsRetried() {
    Instant past = STREAM_TIME.minus(Duration.ofDays(2));
    source.next(rows(100, customer("1", "c-1", past)));
    source.failAfter(rows(200, customer("2", "c-1", past.plusSeconds(1))));
    source.next(rows(300, customer("3", "c-1", past.plusSeconds(2))));
    source.next(rows(310));
    cache.refresh(STREAM_TIME);
    clock.advance(FULL_EVERY);

    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FAILED);
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(1);
    assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FULL);
    cache.refresh(STREAM_TIME);

    // the failed read's rows never reached the state; the next delta starts at the retry's position
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(2);
    assertThat(source.calls)
        .containsExactly("snapshot", "snapshot", "snapshot", "changesSince 300");
  }

  @Test
  void anInterruptedThreadGivesUpASnapshotAtTheNextFetchLeavingTheStateAsItWas() {
    Instant past = STREAM_TIME.minus(Duration.ofDays(2));
    source.next(rows(100, customer("1", "c-1", past)));
    source.next(
        rows(
            200,
            customer("2", "c-1", past.plusSeconds(1)),
            customer("3", "c-1", past.plusSeconds(2)),
            customer("4", "c-1", past.plusSeconds(3))));
    cache.refresh(STREAM_TIME);
    List<Long> chunks = new ArrayList<>();
    source.onChunk =
        () -> {
          chunks.add(1L);
          Thread.currentThread().interrupt();
        };
    clock.advance(FULL_EVERY);

    try {
      assertThat(cache.refresh(STREAM_TIME)).isEqualTo(HistoryCache.Refresh.FAILED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(chunks).hasSize(1);
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(1);
    assertThat(cache.loaded()).isTrue();
  }

  @Test
  void aLabelInADeltaReachesTheTerminalFeatures() {
    Instant txTime = STREAM_TIME.minus(Duration.ofDays(8));
    source.next(rows(100, terminal("7", "t-1", txTime, null, null)));
    source.next(rows(120, terminal("7", "t-1", txTime, true, txTime.plus(Duration.ofDays(1)))));
    TransactionInput scored = new TransactionInput("9", "c-9", "t-1", STREAM_TIME, 10.0);
    int risk7Days = HandbookFeatures.TERMINAL_OFFSET + 3;

    cache.refresh(STREAM_TIME);
    assertThat(cache.withState(s -> s.features(scored))[risk7Days]).isZero();
    cache.refresh(STREAM_TIME);

    assertThat(cache.withState(s -> s.features(scored))[risk7Days]).isEqualTo(1.0);
  }

  @Test
  void prunesToTheStartOfTheStreamTimesDay() {
    Instant day = STREAM_TIME.truncatedTo(ChronoUnit.DAYS);
    cache.refresh(day.plus(Duration.ofHours(23)).plus(Duration.ofMinutes(59)));
    assertThat(cache.withState(HistoryState::watermark)).contains(day);

    cache.refresh(day.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(1)));
    assertThat(cache.withState(HistoryState::watermark)).contains(day.plus(Duration.ofDays(1)));
  }

  @Test
  void prunesWithTheStreamTimeEvenWhileTheSourceFails() {
    source.next(rows(100, customer("1", "c-1", STREAM_TIME.minusSeconds(60))));
    source.fail(1);
    cache.refresh(STREAM_TIME);

    Instant muchLater = STREAM_TIME.plus(Duration.ofDays(60));
    assertThat(cache.refresh(muchLater)).isEqualTo(HistoryCache.Refresh.FAILED);

    assertThat(cache.withState(HistoryState::customerCount)).isZero();
  }

  @Test
  void tasksAddingTransactionsConcurrentlyWithRefreshesLoseNothing() throws Exception {
    int tasks = 4;
    int perTask = 2_000;
    for (int i = 0; i < 200; i++) {
      source.next(rows(i, customer("snap-" + i, "c-snap", STREAM_TIME.minusSeconds(i + 1))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(tasks + 1);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        int task = t;
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perTask; i++) {
                    TransactionInput tx =
                        new TransactionInput(
                            task + "-" + i, "c-" + task, "t-" + task, STREAM_TIME, 1.0);
                    cache.withState(
                        s -> {
                          s.features(tx);
                          s.addTransaction(tx);
                          return null;
                        });
                  }
                }));
      }
      running.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 200; i++) {
                  clock.advance(Duration.ofSeconds(1));
                  cache.refresh(STREAM_TIME);
                }
              }));
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(tasks * perTask + 200L);
    assertThat(cache.withState(HistoryState::terminalEventCount)).isEqualTo(tasks * (long) perTask);
  }

  @Test
  void readsOncePerRoundTheRoundsLaterCallersShareTheRead() {
    source.next(rows(100));
    source.next(rows(120, customer("1", "c-1", STREAM_TIME.minusSeconds(60))));
    Instant batch1 = Instant.parse("2026-01-01T09:00:01Z");
    Instant batch2 = batch1.plusSeconds(1);

    assertThat(cache.refresh(STREAM_TIME, batch1)).isEqualTo(HistoryCache.Refresh.FULL);
    assertThat(cache.refresh(STREAM_TIME, batch1)).isEqualTo(HistoryCache.Refresh.SHARED);
    assertThat(cache.refresh(STREAM_TIME, batch2)).isEqualTo(HistoryCache.Refresh.DELTA);
    assertThat(cache.refresh(STREAM_TIME, batch2)).isEqualTo(HistoryCache.Refresh.SHARED);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 100");
    assertThat(cache.counters()).isEqualTo(new HistoryCache.Counters(1, 1, 0, 1));
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(1);
  }

  @Test
  void aCallerArrivingWhileItsRoundsReadRunsWaitsForThatReadInsteadOfStartingAnother()
      throws Exception {
    Instant batch = Instant.parse("2026-01-01T09:00:01Z");
    source.next(rows(100));
    cache.refresh(STREAM_TIME, "previous batch");
    source.next(rows(120, customer("1", "c-1", STREAM_TIME.minusSeconds(60))));
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    source.onRead =
        () -> {
          reading.countDown();
          awaitQuietly(release);
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<HistoryCache.Refresh> first = pool.submit(() -> cache.refresh(STREAM_TIME, batch));
      assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
      Thread[] second = new Thread[1];
      Future<HistoryCache.Refresh> waiting =
          pool.submit(
              () -> {
                second[0] = Thread.currentThread();
                return cache.refresh(STREAM_TIME, batch);
              });
      // the second caller is parked on the refresh while the first one's read is still running
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> second[0] != null && second[0].getState() == Thread.State.BLOCKED);
      assertThat(waiting.isDone()).isFalse();
      release.countDown();

      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(HistoryCache.Refresh.DELTA);
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(HistoryCache.Refresh.SHARED);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertThat(source.calls).containsExactly("snapshot", "changesSince 100");
    // what the shared read brought is in the state the second caller scores with
    assertThat(cache.withState(HistoryState::customerEventCount)).isEqualTo(1);
  }

  @Test
  void aFailedReadIsNotSharedTheRoundsNextCallerReadsAgain() {
    Instant batch = Instant.parse("2026-01-01T09:00:01Z");
    source.next(rows(100));
    source.fail(1);
    source.next(rows(130));
    cache.refresh(STREAM_TIME, "previous batch");

    assertThat(cache.refresh(STREAM_TIME, batch)).isEqualTo(HistoryCache.Refresh.FAILED);
    assertThat(cache.refresh(STREAM_TIME, batch)).isEqualTo(HistoryCache.Refresh.DELTA);
    assertThat(cache.refresh(STREAM_TIME, batch)).isEqualTo(HistoryCache.Refresh.SHARED);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 100", "changesSince 100");
  }

  @Test
  void aSharedRefreshStillPrunesToItsOwnStreamTime() {
    Instant batch = Instant.parse("2026-01-01T09:00:01Z");
    Instant day = STREAM_TIME.truncatedTo(ChronoUnit.DAYS);
    cache.refresh(day.plus(Duration.ofHours(23)), batch);

    assertThat(cache.refresh(day.plus(Duration.ofHours(25)), batch))
        .isEqualTo(HistoryCache.Refresh.SHARED);
    assertThat(cache.withState(HistoryState::watermark)).contains(day.plus(Duration.ofDays(1)));
  }

  @Test
  void aRefreshWithoutARoundAlwaysReads() {
    cache.refresh(STREAM_TIME, "batch");
    cache.refresh(STREAM_TIME);
    cache.refresh(STREAM_TIME);

    assertThat(source.calls).containsExactly("snapshot", "changesSince 0", "changesSince 0");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HistoryRows rows(long position, Object... events) {
    List<CustomerEvent> customers = new ArrayList<>();
    List<TerminalEvent> terminals = new ArrayList<>();
    for (Object e : events) {
      if (e instanceof CustomerEvent c) {
        customers.add(c);
      } else {
        terminals.add((TerminalEvent) e);
      }
    }
    return new HistoryRows(customers, terminals, position);
  }

  private static CustomerEvent customer(String id, String customerId, Instant time) {
    return new CustomerEvent(id, customerId, time, 25.0);
  }

  private static TerminalEvent terminal(
      String id, String terminalId, Instant time, Boolean fraud, Instant knownAt) {
    return new TerminalEvent(id, terminalId, time, fraud, knownAt);
  }

  /** Answers reads from a script: rows to return or failures to throw, in order. */
  private static final class ScriptedSource implements HistorySource {
    final List<String> calls = new ArrayList<>();
    final List<List<Instant>> horizons = new ArrayList<>();
    private final Deque<Object> script = new ArrayDeque<>();

    /** Runs at each read, as the read's own time (a test advances the clock in it). */
    Runnable onRead = () -> {};

    /** Runs after each chunk of a snapshot was handed on. */
    Runnable onChunk = () -> {};

    synchronized void next(HistoryRows rows) {
      script.add(rows);
    }

    synchronized void fail(int times) {
      for (int i = 0; i < times; i++) {
        script.add(new HistoryUnavailableException("connection refused", null));
      }
    }

    /** The next snapshot hands on {@code rows} and then fails, as a connection lost mid-read. */
    synchronized void failAfter(HistoryRows rows) {
      script.add(new PartialRead(rows));
    }

    /** A snapshot's rows, each handed on as a chunk of its own, then {@link #onChunk}. */
    @Override
    public synchronized long snapshot(Instant customerSince, Instant terminalSince, RowSink sink) {
      Object next = answer("snapshot", customerSince, terminalSince);
      HistoryRows rows = next instanceof PartialRead p ? p.rows() : (HistoryRows) next;
      for (CustomerEvent c : rows.customerRows()) {
        sink.accept(List.of(c), List.of());
        onChunk.run();
      }
      for (TerminalEvent t : rows.terminalRows()) {
        sink.accept(List.of(), List.of(t));
        onChunk.run();
      }
      if (next instanceof PartialRead) {
        throw new HistoryUnavailableException("connection lost", null);
      }
      return rows.changePosition();
    }

    @Override
    public synchronized HistoryRows changesSince(
        long changePosition, Set<Long> ownWrites, Instant customerSince, Instant terminalSince) {
      return (HistoryRows)
          answer(
              "changesSince "
                  + changePosition
                  + (ownWrites.isEmpty() ? "" : " not " + new TreeSet<>(ownWrites)),
              customerSince,
              terminalSince);
    }

    private Object answer(String call, Instant customerSince, Instant terminalSince) {
      calls.add(call);
      horizons.add(List.of(customerSince, terminalSince));
      onRead.run();
      Object next = script.isEmpty() ? new HistoryRows(List.of(), List.of(), 0) : script.poll();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return next;
    }

    private record PartialRead(HistoryRows rows) {}
  }
}
