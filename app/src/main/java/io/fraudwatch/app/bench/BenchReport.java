package io.fraudwatch.app.bench;

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

  /** The report as JSON-ready maps (null where a phase did not run). */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("baseline", system(baseline));
    json.put("spark", system(spark));
    json.put("ratio", round(ratio(), 3));
    json.put("settings", settings);
    return json;
  }

  private static Map<String, Object> system(BenchResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events_per_second", round(r.eventsPerSecond(), 0));
    BenchResult.Phase latencyPhase = r.rate();
    LatencySummary latency = latencyPhase == null ? null : latencyPhase.latency();
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("p50", latency == null ? null : finite(latency.p50Ms()));
    l.put("p99", latency == null ? null : finite(latency.p99Ms()));
    l.put("max", latency == null ? null : finite(latency.maxMs()));
    l.put("samples", latency == null ? 0 : latency.count());
    l.put("missing", latency == null ? 0 : latency.missing());
    m.put("latency_ms", l);
    m.put("drain", phase(r.drain()));
    m.put("rate", phase(r.rate()));
    m.put("peak_rss_bytes", r.peakRssBytes().isPresent() ? r.peakRssBytes().getAsLong() : null);
    m.put("startup_seconds", round(r.startupSeconds(), 2));
    BenchResult.Batches b = r.batches();
    Map<String, Object> batches = new LinkedHashMap<>();
    batches.put("count", b.count());
    batches.put("processing_ms_p50", finite(b.processingP50Ms()));
    batches.put("processing_ms_max", finite(b.processingMaxMs()));
    batches.put("scheduling_delay_ms_p50", finite(b.schedulingP50Ms()));
    batches.put("scheduling_delay_ms_max", finite(b.schedulingMaxMs()));
    m.put("batches", batches);
    if (!r.executors().isEmpty()) {
      m.put("executors", r.executors().stream().map(BenchReport::executor).toList());
    }
    return m;
  }

  private static Map<String, Object> executor(ExecutorFootprint e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executor_id", e.executorId());
    m.put("pid", e.pid());
    m.put("history_snapshots", e.snapshots().stream().map(l -> {
      Map<String, Object> load = new LinkedHashMap<>();
      load.put("rows", l.rows());
      load.put("read_ms", l.readMillis());
      load.put("merge_ms", l.mergeMillis());
      load.put("customers", l.customers());
      load.put("terminals", l.terminals());
      return load;
    }).toList());
    m.put("heap_used_after_load_bytes", e.heapAfterLoad().map(ExecutorFootprint.HeapInfo::usedBytes).orElse(null));
    m.put("heap_committed_after_load_bytes",
        e.heapAfterLoad().map(ExecutorFootprint.HeapInfo::committedBytes).orElse(null));
    m.put("heap_used_at_end_bytes", e.heapAtEnd().map(ExecutorFootprint.HeapInfo::usedBytes).orElse(null));
    m.put("peak_rss_bytes", e.peakRssBytes().isPresent() ? e.peakRssBytes().getAsLong() : null);
    return m;
  }

  private static Map<String, Object> phase(BenchResult.Phase p) {
    if (p == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", p.events());
    m.put("seconds", round(p.seconds(), 3));
    m.put("events_per_second", round(p.eventsPerSecond(), 0));
    m.put("offered_per_second", finite(round(p.offeredPerSecond(), 0)));
    m.put("micros_per_event", round(p.microsPerEvent(), 2));
    m.put("rows_written", p.rowsWritten());
    m.put("rows_per_second", round(p.rowsPerSecond(), 0));
    return m;
  }

  /** The side-by-side table printed at the end of a run. */
  public String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", baseline.system(), spark.system()});
    if (baseline.drain() != null) {
      rows.add(row("drain events/s", r -> count(r.drain().eventsPerSecond())));
      rows.add(row("drain us/event", r -> String.format(Locale.ROOT, "%.1f", r.drain().microsPerEvent())));
      rows.add(row("drain rows/s into PostgreSQL", r -> count(r.drain().rowsPerSecond())));
    }
    if (baseline.rate() != null) {
      rows.add(row("rate: offered events/s", r -> count(r.rate().offeredPerSecond())));
      rows.add(row("rate: achieved events/s", r -> count(r.rate().eventsPerSecond())));
      rows.add(row("latency p50 / p99 / max ms", r -> latency(r.rate().latency())));
      rows.add(row("alerts missing", r -> count(r.rate().latency().missing())));
    }
    rows.add(row("batches (polls)", r -> count(r.batches().count())));
    rows.add(row("processing ms p50 / max", r -> pair(r.batches().processingP50Ms(), r.batches().processingMaxMs())));
    rows.add(row("scheduling delay ms p50 / max",
        r -> pair(r.batches().schedulingP50Ms(), r.batches().schedulingMaxMs())));
    rows.add(row(spark.executors().isEmpty() ? "peak RSS MiB" : "peak RSS MiB (bench JVM)", r -> r.peakRssBytes().isPresent()
        ? count(r.peakRssBytes().getAsLong() / (1024.0 * 1024)) : "-"));
    rows.add(row("start-up s", r -> String.format(Locale.ROOT, "%.1f", r.startupSeconds())));
    StringBuilder s = new StringBuilder();
    int[] widths = new int[3];
    for (String[] r : rows) {
      for (int c = 0; c < 3; c++) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      s.append(String.format(Locale.ROOT, "  %-" + widths[0] + "s  %" + widths[1] + "s  %" + widths[2] + "s%n",
          r[0], r[1], r[2]));
    }
    s.append(String.format(Locale.ROOT, "  ratio spark / baseline: %.2f%n", ratio()));
    if (!spark.executors().isEmpty()) {
      s.append(executorTable(spark.executors()));
    }
    return s.toString();
  }

  /**
   * Per executor JVM: its first history snapshot (rows, seconds reading them from PostgreSQL + merging them), the
   * periodic reloads after it, its heap after a full collection once loaded (used / committed) and at the end, and
   * its peak RSS.
   */
  static String executorTable(List<ExecutorFootprint> executors) {
    String[] header = {"executor", "pid", "snapshot rows", "first load s (read + merge)", "reloads (slowest s)",
        "heap after load MiB", "heap at end MiB", "peak RSS MiB"};
    List<String[]> rows = new ArrayList<>();
    rows.add(header);
    for (ExecutorFootprint e : executors) {
      rows.add(new String[] {e.executorId(), Long.toString(e.pid()),
          e.firstLoad().map(l -> count(l.rows())).orElse("-"),
          e.firstLoad().map(l -> String.format(Locale.ROOT, "%.1f (%.1f + %.1f)", l.totalMillis() / 1e3,
              l.readMillis() / 1e3, l.mergeMillis() / 1e3)).orElse("- (none logged)"),
          e.snapshots().size() <= 1 ? "0" : String.format(Locale.ROOT, "%d (%.1f)", e.snapshots().size() - 1,
              e.slowestReload().orElseThrow().totalMillis() / 1e3),
          e.heapAfterLoad().map(h -> mib(h.usedBytes()) + " / " + mib(h.committedBytes())).orElse("-"),
          e.heapAtEnd().map(h -> mib(h.usedBytes())).orElse("-"),
          e.peakRssBytes().isPresent() ? mib(e.peakRssBytes().getAsLong()) : "-"});
    }
    int[] widths = new int[header.length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    }
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%nExecutors: history snapshots and memory%n"));
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        line.append(String.format(Locale.ROOT, "  %" + (c == 0 ? "-" : "") + widths[c] + "s", r[c]));
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

  private static String pair(double a, double b) {
    return Double.isFinite(a) ? String.format(Locale.ROOT, "%,.0f / %,.0f", a, b) : "-";
  }

  private static String latency(LatencySummary l) {
    return l.count() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", l.p50Ms(), l.p99Ms(), l.maxMs());
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
