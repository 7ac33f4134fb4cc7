package io.fraudwatch.app.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The bench's printed table and its JSON report, from the two systems' results. */
public record BenchReport(Map<String, Object> settings, BenchResult baseline, BenchResult spark) {

  public BenchReport {
    settings = new LinkedHashMap<>(settings);
  }

  /** Spark's throughput over the baseline's, in the same run. */
  public double ratio() {
    return spark.eventsPerSecond() / baseline.eventsPerSecond();
  }

  /** The {@code --report} JSON (ReportJson writes it), null where a phase did not run. */
  public Json json() {
    return new Json(system(baseline), system(spark), round(ratio(), 3), settings);
  }

  public record Json(
      SystemJson baseline, SystemJson spark, double ratio, Map<String, Object> settings) {}

  /** One system under test. {@code executors} only when it ran on a cluster. */
  public record SystemJson(
      double eventsPerSecond,
      LatencyJson latencyMs,
      PhaseJson drain,
      PhaseJson rate,
      Long peakRssBytes,
      double startupSeconds,
      WarmupJson warmup,
      BatchesJson batches,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ExecutorJson> executors) {}

  public record LatencyJson(Double p50, Double p99, Double max, long samples, long missing) {}

  public record PhaseJson(
      long events,
      double seconds,
      double eventsPerSecond,
      Double offeredPerSecond,
      double microsPerEvent,
      long rowsWritten,
      double rowsPerSecond,
      long alerts,
      double alertRate) {}

  public record WarmupJson(double seconds, double longestBatchSeconds, Double catchUpSeconds) {}

  public record BatchesJson(
      int count,
      Double processingMsP50,
      Double processingMsMax,
      Double schedulingDelayMsP50,
      Double schedulingDelayMsMax) {}

  public record ExecutorJson(
      String executorId,
      long pid,
      List<SnapshotJson> historySnapshots,
      Long heapUsedAfterLoadBytes,
      Long heapCommittedAfterLoadBytes,
      Long heapUsedAtEndBytes,
      Long peakRssBytes) {}

  public record SnapshotJson(
      long rows, long readMs, long mergeMs, long customers, long terminals) {}

  private static SystemJson system(BenchResult r) {
    LatencySummary l = r.rate() == null ? null : r.rate().latency();
    LatencyJson latency =
        l == null
            ? new LatencyJson(null, null, null, 0, 0)
            : new LatencyJson(
                finite(l.p50Ms()), finite(l.p99Ms()), finite(l.maxMs()), l.count(), l.missing());
    BenchResult.Batches b = r.batches();
    return new SystemJson(
        round(r.eventsPerSecond(), 0),
        latency,
        phase(r.drain()),
        phase(r.rate()),
        r.peakRssBytes().isPresent() ? r.peakRssBytes().getAsLong() : null,
        round(r.startupSeconds(), 2),
        new WarmupJson(
            round(r.warmup().seconds(), 2),
            round(r.warmup().longestBatchSeconds(), 2),
            finite(round(r.warmup().catchUpSeconds(), 2))),
        new BatchesJson(
            b.count(),
            finite(b.processingP50Ms()),
            finite(b.processingMaxMs()),
            finite(b.schedulingP50Ms()),
            finite(b.schedulingMaxMs())),
        r.executors().stream().map(BenchReport::executor).toList());
  }

  private static ExecutorJson executor(ExecutorFootprint e) {
    return new ExecutorJson(
        e.executorId(),
        e.pid(),
        e.snapshots().stream()
            .map(
                l ->
                    new SnapshotJson(
                        l.rows(), l.readMillis(), l.mergeMillis(), l.customers(), l.terminals()))
            .toList(),
        e.heapAfterLoad().map(ExecutorFootprint.HeapInfo::usedBytes).orElse(null),
        e.heapAfterLoad().map(ExecutorFootprint.HeapInfo::committedBytes).orElse(null),
        e.heapAtEnd().map(ExecutorFootprint.HeapInfo::usedBytes).orElse(null),
        e.peakRssBytes().isPresent() ? e.peakRssBytes().getAsLong() : null);
  }

  private static PhaseJson phase(BenchResult.Phase p) {
    return p == null
        ? null
        : new PhaseJson(
            p.events(),
            round(p.seconds(), 3),
            round(p.eventsPerSecond(), 0),
            finite(round(p.offeredPerSecond(), 0)),
            round(p.microsPerEvent(), 2),
            p.rowsWritten(),
            round(p.rowsPerSecond(), 0),
            p.alerts(),
            round(p.alertRate(), 4));
  }

  /** The side-by-side table printed at the end of a run. */
  public String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", baseline.system(), spark.system()});
    if (baseline.drain() != null) {
      rows.add(row("drain events/s", r -> count(r.drain().eventsPerSecond())));
      rows.add(
          row(
              "drain us/event",
              r -> String.format(Locale.ROOT, "%.1f", r.drain().microsPerEvent())));
      rows.add(row("drain rows/s into PostgreSQL", r -> count(r.drain().rowsPerSecond())));
      rows.add(row("drain alert rate", r -> percent(r.drain().alertRate())));
    }
    if (baseline.rate() != null) {
      rows.add(row("rate: offered events/s", r -> count(r.rate().offeredPerSecond())));
      rows.add(row("rate: achieved events/s", r -> count(r.rate().eventsPerSecond())));
      rows.add(row("rate: alert rate", r -> percent(r.rate().alertRate())));
      rows.add(row("latency p50 / p99 / max ms", r -> latency(r.rate().latency())));
      rows.add(row("alerts missing", r -> count(r.rate().latency().missing())));
    }
    rows.add(row("batches (polls)", r -> count(r.batches().count())));
    rows.add(
        row(
            "processing ms p50 / max",
            r -> pair(r.batches().processingP50Ms(), r.batches().processingMaxMs())));
    rows.add(
        row(
            "scheduling delay ms p50 / max",
            r -> pair(r.batches().schedulingP50Ms(), r.batches().schedulingMaxMs())));
    rows.add(
        row(
            spark.executors().isEmpty() ? "peak RSS MiB" : "peak RSS MiB (bench JVM)",
            r ->
                r.peakRssBytes().isPresent()
                    ? count(r.peakRssBytes().getAsLong() / (1024.0 * 1024))
                    : "-"));
    rows.add(row("start-up s", r -> String.format(Locale.ROOT, "%.1f", r.startupSeconds())));
    rows.add(
        row(
            "warm-up s (longest batch: first load)",
            r ->
                String.format(
                    Locale.ROOT,
                    "%.1f (%.1f)",
                    r.warmup().seconds(),
                    r.warmup().longestBatchSeconds())));
    rows.add(
        row(
            "queued batches worked off s",
            r ->
                Double.isFinite(r.warmup().catchUpSeconds())
                    ? String.format(Locale.ROOT, "%.1f", r.warmup().catchUpSeconds())
                    : "gave up"));
    StringBuilder s = new StringBuilder();
    int[] widths = new int[3];
    for (String[] r : rows) {
      for (int c = 0; c < 3; c++) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "  %-" + widths[0] + "s  %" + widths[1] + "s  %" + widths[2] + "s%n",
              r[0],
              r[1],
              r[2]));
    }
    s.append(String.format(Locale.ROOT, "  ratio spark / baseline: %.2f%n", ratio()));
    if (!spark.executors().isEmpty()) {
      s.append(executorTable(spark.executors()));
    }
    return s.toString();
  }

  /**
   * Per executor JVM: its first history snapshot (rows, seconds reading them from PostgreSQL +
   * merging them), the periodic reloads after it, its heap after a full collection once loaded
   * (used / committed) and at the end, and its peak RSS.
   */
  static String executorTable(List<ExecutorFootprint> executors) {
    String[] header = {
      "executor",
      "pid",
      "snapshot rows",
      "first load s (read + merge)",
      "reloads (slowest s)",
      "heap after load MiB",
      "heap at end MiB",
      "peak RSS MiB"
    };
    List<String[]> rows = new ArrayList<>();
    rows.add(header);
    for (ExecutorFootprint e : executors) {
      rows.add(
          new String[] {
            e.executorId(),
            Long.toString(e.pid()),
            e.firstLoad().map(l -> count(l.rows())).orElse("-"),
            e.firstLoad()
                .map(
                    l ->
                        String.format(
                            Locale.ROOT,
                            "%.1f (%.1f + %.1f)",
                            l.totalMillis() / 1e3,
                            l.readMillis() / 1e3,
                            l.mergeMillis() / 1e3))
                .orElse("- (none logged)"),
            e.snapshots().size() <= 1
                ? "0"
                : String.format(
                    Locale.ROOT,
                    "%d (%.1f)",
                    e.snapshots().size() - 1,
                    e.slowestReload().orElseThrow().totalMillis() / 1e3),
            e.heapAfterLoad()
                .map(h -> mib(h.usedBytes()) + " / " + mib(h.committedBytes()))
                .orElse("-"),
            e.heapAtEnd().map(h -> mib(h.usedBytes())).orElse("-"),
            e.peakRssBytes().isPresent() ? mib(e.peakRssBytes().getAsLong()) : "-"
          });
    }
    int[] widths = new int[header.length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    }
    StringBuilder s =
        new StringBuilder(
            String.format(Locale.ROOT, "%nExecutors: history snapshots and memory%n"));
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        line.append(
            String.format(Locale.ROOT, "  %" + (c == 0 ? "-" : "") + widths[c] + "s", r[c]));
      }
      s.append(line).append(String.format("%n"));
    }
    return s.toString();
  }

  private static String mib(long bytes) {
    return count(bytes / (1024.0 * 1024));
  }

  private String[] row(String name, Function<BenchResult, String> cell) {
    return new String[] {name, cell.apply(baseline), cell.apply(spark)};
  }

  private static String count(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "-";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  private static String pair(double a, double b) {
    return Double.isFinite(a) ? String.format(Locale.ROOT, "%,.0f / %,.0f", a, b) : "-";
  }

  private static String latency(LatencySummary l) {
    return l.count() == 0
        ? "-"
        : String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", l.p50Ms(), l.p99Ms(), l.maxMs());
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static double round(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
