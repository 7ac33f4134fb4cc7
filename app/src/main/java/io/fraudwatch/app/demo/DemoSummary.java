package io.fraudwatch.app.demo;

import io.fraudwatch.app.pipeline.ModelVersionLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a demo run did, scored against the simulator's truth. Plain data and arithmetic; the command
 * reads the inputs from PostgreSQL and the model store.
 *
 * @param transactionsStreamed transactions replayed into Kafka
 * @param fraudsStreamed of which the simulator made fraud
 * @param transactionsScored rows in scored_transactions for the streamed days
 * @param alerts alerts raised on the streamed days
 * @param fraudAlerts of which on a simulated fraud
 * @param alertPrecision fraudAlerts / alerts; empty without alerts
 * @param fraudRecall fraudAlerts / fraudsStreamed; empty without frauds
 * @param eventsPerSecond transactions scored per second of streaming wall time
 * @param deadLetters records the job sent to the dead-letter topic
 * @param topReasons the first (strongest) reason code's feature, most frequent first
 * @param modelVersions the model's versions, oldest first
 * @param lakeRows rows in the lake's Parquet files as their footers count them; empty without a
 *     lake
 */
public record DemoSummary(
    long transactionsStreamed,
    long fraudsStreamed,
    long transactionsScored,
    long alerts,
    long fraudAlerts,
    OptionalDouble alertPrecision,
    OptionalDouble fraudRecall,
    double streamingSeconds,
    double eventsPerSecond,
    long deadLetters,
    List<ReasonCount> topReasons,
    List<ModelVersionLine> modelVersions,
    OptionalLong lakeRows) {

  static final int TOP_REASONS = 5;
  static final int SHOWN_ONLINE_VERSIONS = 3;

  /**
   * An alert as stored: its transaction and its reason codes, strongest first ("FEATURE:+2.31").
   */
  public record Alert(String transactionId, List<String> reasonCodes) {}

  public record ReasonCount(String feature, long alerts) {}

  public DemoSummary {
    topReasons = List.copyOf(topReasons);
    modelVersions = List.copyOf(modelVersions);
  }

  public static DemoSummary of(
      long transactionsStreamed,
      Set<String> fraudIds,
      long transactionsScored,
      List<Alert> alerts,
      double streamingSeconds,
      long deadLetters,
      List<ModelVersionLine> modelVersions) {
    long fraudAlerts = alerts.stream().filter(a -> fraudIds.contains(a.transactionId())).count();
    OptionalDouble precision =
        alerts.isEmpty()
            ? OptionalDouble.empty()
            : OptionalDouble.of((double) fraudAlerts / alerts.size());
    OptionalDouble recall =
        fraudIds.isEmpty()
            ? OptionalDouble.empty()
            : OptionalDouble.of((double) fraudAlerts / fraudIds.size());
    double rate = streamingSeconds > 0 ? transactionsScored / streamingSeconds : 0;
    return new DemoSummary(
        transactionsStreamed,
        fraudIds.size(),
        transactionsScored,
        alerts.size(),
        fraudAlerts,
        precision,
        recall,
        streamingSeconds,
        rate,
        deadLetters,
        topReasons(alerts),
        modelVersions,
        OptionalLong.empty());
  }

  /** The same summary with the lake's row count. */
  public DemoSummary withLakeRows(long rows) {
    return new DemoSummary(
        transactionsStreamed,
        fraudsStreamed,
        transactionsScored,
        alerts,
        fraudAlerts,
        alertPrecision,
        fraudRecall,
        streamingSeconds,
        eventsPerSecond,
        deadLetters,
        topReasons,
        modelVersions,
        OptionalLong.of(rows));
  }

  /** Counts each alert under the feature of its first reason code. */
  static List<ReasonCount> topReasons(List<Alert> alerts) {
    Map<String, Long> counts = new HashMap<>();
    for (Alert a : alerts) {
      if (!a.reasonCodes().isEmpty()) {
        counts.merge(feature(a.reasonCodes().get(0)), 1L, Long::sum);
      }
    }
    List<ReasonCount> sorted = new ArrayList<>();
    counts.forEach((feature, n) -> sorted.add(new ReasonCount(feature, n)));
    sorted.sort(
        Comparator.comparingLong(ReasonCount::alerts)
            .reversed()
            .thenComparing(ReasonCount::feature));
    return sorted.subList(0, Math.min(TOP_REASONS, sorted.size()));
  }

  /**
   * "TERMINAL_RISK_7D:+2.31" -> "TERMINAL_RISK_7D"; a code without a contribution is its own
   * feature.
   */
  static String feature(String reasonCode) {
    int colon = reasonCode.lastIndexOf(':');
    return colon < 0 ? reasonCode : reasonCode.substring(0, colon);
  }

  /**
   * The summary as {@code --report} writes it (snake_case keys): ratios in [0, 1] or null when
   * undefined, and the settings the run used.
   */
  public record Report(
      long transactionsStreamed,
      long fraudsStreamed,
      long transactionsScored,
      long alerts,
      long fraudAlerts,
      Double alertPrecision,
      Double fraudRecall,
      double streamingSeconds,
      double eventsPerSecond,
      long deadLetters,
      List<ReasonCount> topReasonCodes,
      List<ModelVersionLine> modelVersions,
      Long lakeRows,
      Map<String, Object> settings) {}

  public Report report(Map<String, Object> settings) {
    return new Report(
        transactionsStreamed,
        fraudsStreamed,
        transactionsScored,
        alerts,
        fraudAlerts,
        orNull(alertPrecision),
        orNull(fraudRecall),
        streamingSeconds,
        eventsPerSecond,
        deadLetters,
        topReasons,
        modelVersions,
        lakeRows.isPresent() ? lakeRows.getAsLong() : null,
        new LinkedHashMap<>(settings));
  }

  private static Double orNull(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }

  /** The summary as the terminal shows it. */
  public String table() {
    StringBuilder s = new StringBuilder();
    line(
        s,
        "transactions streamed",
        String.format(
            Locale.ROOT, "%,d (%,d simulated frauds)", transactionsStreamed, fraudsStreamed));
    line(s, "transactions scored", String.format(Locale.ROOT, "%,d", transactionsScored));
    line(
        s,
        "events/s",
        String.format(Locale.ROOT, "%,.0f (%.1f s streaming)", eventsPerSecond, streamingSeconds));
    line(
        s,
        "alerts",
        String.format(Locale.ROOT, "%,d (%,d on simulated frauds)", alerts, fraudAlerts));
    line(s, "alert precision", percent(alertPrecision));
    line(s, "fraud recall", percent(fraudRecall));
    line(s, "dead letters", String.format(Locale.ROOT, "%,d", deadLetters));
    if (lakeRows.isPresent()) {
      long rows = lakeRows.getAsLong();
      line(
          s,
          "lake rows",
          String.format(
              Locale.ROOT,
              "%,d in Parquet (%s transactions scored)",
              rows,
              rows == transactionsScored ? "=" : "MISMATCH: not equal to"));
    }
    line(
        s,
        "top reason codes",
        topReasons.isEmpty()
            ? "-"
            : String.join(
                ", ",
                topReasons.stream().map(r -> r.feature() + " (" + r.alerts() + ")").toList()));
    line(
        s,
        "model versions",
        modelVersions.isEmpty()
            ? "-"
            : String.join(
                String.format("%n%25s", ""),
                shownVersions().stream().map(ModelVersionLine::describe).toList()));
    return s.toString();
  }

  /** Every batch version and the newest online ones: a demo may learn many. */
  private List<ModelVersionLine> shownVersions() {
    List<ModelVersionLine> online =
        modelVersions.stream().filter(v -> v.kind().equals("online")).toList();
    List<ModelVersionLine> shown =
        new ArrayList<>(modelVersions.stream().filter(v -> !v.kind().equals("online")).toList());
    shown.addAll(online.subList(Math.max(0, online.size() - SHOWN_ONLINE_VERSIONS), online.size()));
    return shown;
  }

  private static void line(StringBuilder s, String name, String value) {
    s.append(String.format(Locale.ROOT, "  %-22s %s%n", name, value));
  }

  private static String percent(OptionalDouble v) {
    return v.isPresent()
        ? String.format(Locale.ROOT, "%.1f %%", 100 * v.getAsDouble())
        : "- (none)";
  }
}
