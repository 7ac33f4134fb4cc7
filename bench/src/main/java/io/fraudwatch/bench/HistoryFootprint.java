package io.fraudwatch.bench;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.TerminalEvent;
import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap taken by the bench workload's history, per history row: as rows read from PostgreSQL (one
 * {@link CustomerEvent} and one {@link TerminalEvent} with their own strings and instants, as the
 * history repository makes them) and once merged into a {@link HistoryState}. Run it with a heap
 * large enough for both (see docs/benchmarks.md); {@code jcmd <pid> GC.class_histogram} while it
 * waits shows where the bytes go.
 *
 * <pre>java -Xmx6g -cp bench/target/classes:$(cat bench/target/jmh-classpath) \
 *     io.fraudwatch.bench.HistoryFootprint 1000000</pre>
 */
public final class HistoryFootprint {
  private static final int CHUNK = 100_000;

  private HistoryFootprint() {}

  public static void main(String[] args) {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Duration labelDelay = HandbookFeatures.Config.DEFAULT.labelDelay();
    BenchWorkload workload =
        new BenchWorkload(customers, 10_000, HotPath.HISTORY_PER_CUSTOMER, 1, 0);
    long base = usedAfterGc();
    List<CustomerEvent> customerRows = new ArrayList<>();
    List<TerminalEvent> terminalRows = new ArrayList<>();
    for (int from = 0; from < customers; from += CHUNK) {
      for (HandbookRow r : workload.history(from, Math.min(customers, from + CHUNK))) {
        // a string per column and row, as a JDBC result set gives them
        String id = Long.toString(r.transactionId());
        customerRows.add(
            new CustomerEvent(id, new String(r.customerId()), r.eventTime(), r.amount()));
        terminalRows.add(
            new TerminalEvent(
                Long.toString(r.transactionId()),
                new String(r.terminalId()),
                r.eventTime(),
                r.fraud(),
                r.eventTime().plus(labelDelay)));
      }
    }
    long rows = usedAfterGc() - base;
    HistoryState state = new HistoryState(HandbookFeatures.Config.DEFAULT);
    long start = System.nanoTime();
    state.mergeSnapshot(customerRows, terminalRows);
    long mergeMillis = (System.nanoTime() - start) / 1_000_000;
    customerRows = null;
    terminalRows = null;
    long held = usedAfterGc() - base;
    long n = workload.historyRows();
    System.out.printf(
        Locale.ROOT,
        "%,d customers, %,d history rows (%,d customer and %,d terminal events held):%n"
            + "  rows as read: %,d MiB, %.0f bytes per history row%n"
            + "  history state: %,d MiB, %.0f bytes per history row (merged in %,d ms)%n",
        customers,
        n,
        state.customerEventCount(),
        state.terminalEventCount(),
        rows >> 20,
        (double) rows / n,
        held >> 20,
        (double) held / n,
        mergeMillis);
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
