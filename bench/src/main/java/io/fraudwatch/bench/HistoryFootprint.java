package io.fraudwatch.bench;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.TerminalEvent;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.features.history.HistoryCache;
import io.fraudwatch.features.history.HistoryRows;
import io.fraudwatch.features.history.HistorySource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Heap taken by the bench workload's history, per history row, while a {@link HistoryCache} loads
 * it as a full snapshot and once it holds it. The rows come from a source that makes them as the
 * history repository does (one {@link CustomerEvent} and one {@link TerminalEvent} per row, with
 * their own strings and instants, handed on a fetch of 10,000 rows at a time) in the order the
 * bench seeds them; the live heap (after full collections) is sampled every {@value #SAMPLE_EVERY}
 * rows during each load. Two loads run: the first into an empty cache, the second (a periodic full
 * refresh) while the first one's state still serves. Run it with a heap large enough (see
 * docs/benchmarks.md); {@code jcmd <pid> GC.class_histogram} while it runs shows where the bytes
 * go.
 *
 * <pre>java -Xmx6g -cp bench/target/classes:$(cat bench/target/jmh-classpath) \
 *     io.fraudwatch.bench.HistoryFootprint 1000000</pre>
 */
public final class HistoryFootprint {
  private static final int FETCH = 10_000;
  private static final int SAMPLE_EVERY = 500_000;

  private HistoryFootprint() {}

  public static void main(String[] args) {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    BenchWorkload workload =
        new BenchWorkload(customers, 10_000, HotPath.HISTORY_PER_CUSTOMER, 1, 0);
    long n = workload.historyRows();
    long base = usedAfterGc();
    WorkloadSource source = new WorkloadSource(workload);
    // every refresh is a full one
    HistoryCache cache =
        new HistoryCache(
            source, HandbookFeatures.Config.DEFAULT, Duration.ofNanos(1), Clock.systemUTC());
    for (String load : List.of("first load", "full refresh")) {
      source.peak = 0;
      long start = System.nanoTime();
      cache.refresh(BenchWorkload.START);
      long loadMillis = (System.nanoTime() - start) / 1_000_000;
      long peak = source.peak - base;
      long held = usedAfterGc() - base;
      System.out.printf(
          Locale.ROOT,
          "%s of %,d history rows (%,d customers) in %,d ms: peak live heap while loading %,d MiB"
              + " (%.0f bytes per history row), then held %,d MiB (%.0f bytes per history row)%n",
          load,
          n,
          customers,
          loadMillis,
          peak >> 20,
          (double) peak / n,
          held >> 20,
          (double) held / n);
    }
    System.out.printf(
        Locale.ROOT,
        "held: %,d customer and %,d terminal events%n",
        cache.withState(HistoryState::customerEventCount),
        cache.withState(HistoryState::terminalEventCount));
  }

  /** The workload's history as snapshots, a fetch at a time, sampling the live heap as it goes. */
  private static final class WorkloadSource implements HistorySource {
    private final BenchWorkload workload;
    private final Duration labelDelay = HandbookFeatures.Config.DEFAULT.labelDelay();
    long peak;

    WorkloadSource(BenchWorkload workload) {
      this.workload = workload;
    }

    @Override
    public long snapshot(Instant customerSince, Instant terminalSince, RowSink sink) {
      int perFetch = FETCH / workload.historyPerCustomer();
      long sent = 0;
      for (int from = 0; from < workload.customers(); from += perFetch) {
        List<CustomerEvent> customerRows = new ArrayList<>();
        List<TerminalEvent> terminalRows = new ArrayList<>();
        for (HandbookRow r :
            workload.history(from, Math.min(workload.customers(), from + perFetch))) {
          // a string per column and row, as a JDBC result set gives them
          customerRows.add(
              new CustomerEvent(
                  Long.toString(r.transactionId()),
                  new String(r.customerId()),
                  r.eventTime(),
                  r.amount()));
          terminalRows.add(
              new TerminalEvent(
                  Long.toString(r.transactionId()),
                  new String(r.terminalId()),
                  r.eventTime(),
                  r.fraud(),
                  r.eventTime().plus(labelDelay)));
        }
        if ((sent + customerRows.size()) / SAMPLE_EVERY > sent / SAMPLE_EVERY) {
          peak = Math.max(peak, usedAfterGc());
        }
        sent += customerRows.size();
        sink.accept(customerRows, terminalRows);
      }
      peak = Math.max(peak, usedAfterGc());
      return 0;
    }

    @Override
    public HistoryRows changesSince(
        long changePosition, Set<Long> ownWrites, Instant customerSince, Instant terminalSince) {
      throw new UnsupportedOperationException("every refresh here is a full one");
    }
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
