package io.fraudwatch.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the feature history cost one executor JVM of a bench run on a cluster: its full history
 * snapshots (from the executor's log) and its heap and resident memory (measured from outside the
 * JVM).
 *
 * @param snapshots every full snapshot the executor loaded, in order: the first at its first task,
 *     then one every {@code history.refresh-interval}
 * @param heapAfterLoad the heap after a full collection once the warm-up was handled (history
 *     loaded), if measured
 * @param heapAtEnd the heap after a full collection at the end of the timed phases, if measured
 * @param peakRssBytes the JVM's peak resident set size ({@code VmHWM}) at the end, if read
 */
public record ExecutorFootprint(
    String executorId,
    long pid,
    List<SnapshotLoad> snapshots,
    Optional<HeapInfo> heapAfterLoad,
    Optional<HeapInfo> heapAtEnd,
    OptionalLong peakRssBytes) {

  public ExecutorFootprint {
    snapshots = List.copyOf(snapshots);
  }

  /** The first snapshot: the load an executor does before it can score anything. */
  public Optional<SnapshotLoad> firstLoad() {
    return snapshots.stream().findFirst();
  }

  /** The longest of the later (periodic) snapshots, if there were any. */
  public Optional<SnapshotLoad> slowestReload() {
    return snapshots.stream()
        .skip(1)
        .max(java.util.Comparator.comparingLong(SnapshotLoad::totalMillis));
  }

  /**
   * One full snapshot as {@code HistoryCache} logs it: "history snapshot: N rows read in R ms,
   * merged in M ms; ...; C customers and T terminals held".
   */
  public record SnapshotLoad(
      long rows, long readMillis, long mergeMillis, long customers, long terminals) {
    private static final Pattern LINE =
        Pattern.compile(
            "history snapshot: (\\d+) rows read in (\\d+) ms, merged in"
                + " (\\d+) ms;.*?; (\\d+) customers and (\\d+) terminals held");

    /** Reading the rows from PostgreSQL and merging them into the state. */
    public long totalMillis() {
      return readMillis + mergeMillis;
    }

    /** The snapshot a log line reports, if it is such a line. */
    public static Optional<SnapshotLoad> parse(String line) {
      Matcher m = LINE.matcher(line);
      if (!m.find()) {
        return Optional.empty();
      }
      return Optional.of(
          new SnapshotLoad(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4)),
              Long.parseLong(m.group(5))));
    }

    /** Every snapshot a log reports, in order. */
    public static List<SnapshotLoad> inLog(Stream<String> lines) {
      List<SnapshotLoad> loads = new ArrayList<>();
      lines.forEach(l -> parse(l).ifPresent(loads::add));
      return loads;
    }
  }

  /**
   * A JVM's Java heap as {@code jcmd <pid> GC.heap_info} prints it.
   *
   * @param usedBytes occupied by objects (after a full collection: what is live)
   * @param committedBytes reserved from the OS for the heap at that moment (at most the JVM's -Xmx)
   */
  public record HeapInfo(long usedBytes, long committedBytes) {
    private static final Pattern SPACE = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /**
     * Sums the heap's spaces: G1 prints one ("garbage-first heap total ..K, used ..K"), the Serial
     * and Parallel collectors a young and an old generation; what follows "Metaspace" is not heap.
     * Empty when no line has that shape (another collector, or jcmd failed).
     */
    public static Optional<HeapInfo> parse(String heapInfo) {
      long used = 0;
      long committed = 0;
      boolean found = false;
      for (String line : heapInfo.split("\n")) {
        if (line.trim().startsWith("Metaspace")) {
          break;
        }
        Matcher m = SPACE.matcher(line);
        if (m.find()) {
          committed += Long.parseLong(m.group(1)) * 1024;
          used += Long.parseLong(m.group(2)) * 1024;
          found = true;
        }
      }
      return found ? Optional.of(new HeapInfo(used, committed)) : Optional.empty();
    }
  }
}
