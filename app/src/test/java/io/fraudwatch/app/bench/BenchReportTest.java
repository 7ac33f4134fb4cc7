package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.ReportMaps;
import io.fraudwatch.scoring.job.BatchReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static BenchResult result(String system, double drainSeconds, double rateSeconds) {
    return result(system, drainSeconds, rateSeconds, List.of());
  }

  private static BenchResult result(
      String system, double drainSeconds, double rateSeconds, List<ExecutorFootprint> executors) {
    BenchResult.Phase drain =
        new BenchResult.Phase(100_000, drainSeconds, Double.NaN, 400_000, 3_000, null);
    BenchResult.Phase rate =
        new BenchResult.Phase(
            100_000,
            rateSeconds,
            7_000,
            310_000,
            3_000,
            new LatencySummary(3_000, 0, 120.5, 900.25, 1_500));
    return new BenchResult(
        system,
        2.5,
        new BenchResult.Warmup(31.5, 30.25, system.equals("spark") ? 4.5 : 0),
        drain,
        rate,
        OptionalLong.of(512L << 20),
        BenchResult.Batches.of(
            List.of(batch(10, 800, 5), batch(0, 3, 0), batch(10, 1_000, 50), batch(10, 900, 20))),
        executors);
  }

  private static BatchReport batch(long records, long processingMs, long schedulingMs) {
    return new BatchReport(
        Instant.EPOCH, records, 0, records, 0, processingMs, schedulingMs, 1, null, 0, 0, 0);
  }

  private final BenchReport report =
      new BenchReport(
          Map.of("events", 100_000L), result("baseline", 5, 14), result("spark", 10, 15));

  @Test
  void ratioIsSparkOverBaseline() {
    assertThat(report.ratio()).isEqualTo(0.5);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHasTheHeadlineFieldsAndTheSettings() {
    Map<String, Object> json = ReportMaps.asWritten(report.json());
    Map<String, Object> spark = (Map<String, Object>) json.get("spark");
    Map<String, Object> baseline = (Map<String, Object>) json.get("baseline");
    assertThat(baseline.get("events_per_second")).isEqualTo(20_000.0);
    assertThat(spark.get("events_per_second")).isEqualTo(10_000.0);
    assertThat(json.get("ratio")).isEqualTo(0.5);
    Map<String, Object> latency = (Map<String, Object>) spark.get("latency_ms");
    assertThat(latency)
        .containsEntry("p50", 120.5)
        .containsEntry("p99", 900.25)
        .containsEntry("samples", 3_000L);
    assertThat((Map<String, Object>) spark.get("drain"))
        .containsEntry("rows_per_second", 40_000.0)
        .containsEntry("offered_per_second", null)
        .containsEntry("alerts", 3_000L)
        .containsEntry("alert_rate", 0.03);
    assertThat((Map<String, Object>) spark.get("batches"))
        .containsEntry("count", 3L)
        .containsEntry("processing_ms_p50", 900.0)
        .containsEntry("scheduling_delay_ms_max", 50.0);
    assertThat(spark.get("peak_rss_bytes")).isEqualTo(512L << 20);
    assertThat((Map<String, Object>) spark.get("warmup"))
        .containsEntry("seconds", 31.5)
        .containsEntry("longest_batch_seconds", 30.25)
        .containsEntry("catch_up_seconds", 4.5);
    assertThat((Map<String, Object>) json.get("settings")).containsEntry("events", 100_000L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDrainOnlyRunHasNoLatencyFigures() {
    BenchResult b =
        new BenchResult(
            "baseline",
            1,
            new BenchResult.Warmup(1, 0.5, Double.NaN),
            new BenchResult.Phase(10, 1, Double.NaN, 40, 10, null),
            null,
            OptionalLong.empty(),
            BenchResult.Batches.of(List.of()),
            List.of());
    Map<String, Object> json = ReportMaps.asWritten(new BenchReport(Map.of(), b, b).json());
    Map<String, Object> latency =
        (Map<String, Object>) ((Map<String, Object>) json.get("spark")).get("latency_ms");
    assertThat(latency).containsEntry("p50", null).containsEntry("p99", null);
    assertThat(new BenchReport(Map.of(), b, b).table())
        .doesNotContain("latency")
        .contains("drain events/s");
  }

  @Test
  void tableShowsBothSystemsSideBySide() {
    String table = report.table();
    assertThat(table)
        .contains("baseline")
        .contains("spark")
        .containsPattern("drain events/s\\s+20,000\\s+10,000")
        .containsPattern("latency p50 / p99 / max ms\\s+121 / 900 / 1,500")
        .containsPattern("rate: alert rate\\s+3.0 %\\s+3.0 %")
        .containsPattern("peak RSS MiB\\s+512\\s+512")
        .containsPattern("warm-up s \\(longest batch: first load\\)\\s+31.5 \\(30.3\\)\\s+31.5")
        .containsPattern("queued batches worked off s\\s+0.0\\s+4.5")
        .contains("ratio spark / baseline: 0.50");
  }

  @Test
  @SuppressWarnings("unchecked")
  void withoutExecutorsTheReportHasNoExecutorFigures() {
    assertThat((Map<String, Object>) ReportMaps.asWritten(report.json()).get("spark"))
        .doesNotContainKey("executors");
    assertThat(report.table()).doesNotContain("Executors").doesNotContain("bench JVM");
  }

  @Test
  @SuppressWarnings("unchecked")
  void onAClusterEachExecutorHasItsSnapshotsHeapAndPeakRss() {
    ExecutorFootprint.SnapshotLoad first =
        new ExecutorFootprint.SnapshotLoad(8_000_000, 40_000, 10_500, 1_000_000, 10_000);
    ExecutorFootprint.SnapshotLoad reload =
        new ExecutorFootprint.SnapshotLoad(8_000_000, 30_000, 2_000, 1_000_000, 10_000);
    ExecutorFootprint loaded =
        new ExecutorFootprint(
            "0",
            4242,
            List.of(first, reload),
            Optional.of(new ExecutorFootprint.HeapInfo(1200L << 20, 1800L << 20)),
            Optional.of(new ExecutorFootprint.HeapInfo(1250L << 20, 1800L << 20)),
            OptionalLong.of(2100L << 20));
    ExecutorFootprint idle =
        new ExecutorFootprint(
            "1", 4343, List.of(), Optional.empty(), Optional.empty(), OptionalLong.empty());
    BenchReport onCluster =
        new BenchReport(
            Map.of(), result("baseline", 5, 14), result("spark", 10, 15, List.of(loaded, idle)));

    List<Map<String, Object>> executors =
        (List<Map<String, Object>>)
            ((Map<String, Object>) ReportMaps.asWritten(onCluster.json()).get("spark"))
                .get("executors");
    assertThat(executors).hasSize(2);
    assertThat(executors.get(0))
        .containsEntry("executor_id", "0")
        .containsEntry("pid", 4242L)
        .containsEntry("heap_used_after_load_bytes", 1200L << 20)
        .containsEntry("heap_committed_after_load_bytes", 1800L << 20)
        .containsEntry("heap_used_at_end_bytes", 1250L << 20)
        .containsEntry("peak_rss_bytes", 2100L << 20);
    assertThat((List<Map<String, Object>>) executors.get(0).get("history_snapshots"))
        .hasSize(2)
        .first()
        .satisfies(
            load ->
                assertThat(load)
                    .containsEntry("rows", 8_000_000L)
                    .containsEntry("read_ms", 40_000L)
                    .containsEntry("merge_ms", 10_500L)
                    .containsEntry("customers", 1_000_000L));
    assertThat(executors.get(1))
        .containsEntry("heap_used_after_load_bytes", null)
        .containsEntry("peak_rss_bytes", null);

    assertThat(onCluster.table())
        .contains("Executors: history snapshots and memory")
        .containsPattern("peak RSS MiB \\(bench JVM\\)\\s+512\\s+512")
        .containsPattern(
            "0\\s+4242\\s+8,000,000\\s+50\\.5 \\(40\\.0 \\+ 10\\.5\\)\\s+1 \\(32\\.0\\)\\s+1,200 / 1,800"
                + "\\s+1,250\\s+2,100")
        .containsPattern("1\\s+4343\\s+-\\s+- \\(none logged\\)\\s+0\\s+-\\s+-\\s+-");
  }
}
