package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.scoring.job.BatchReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static BenchResult result(String system, double drainSeconds, double rateSeconds) {
    BenchResult.Phase drain = new BenchResult.Phase(100_000, drainSeconds, Double.NaN, 400_000, null);
    BenchResult.Phase rate = new BenchResult.Phase(100_000, rateSeconds, 7_000, 400_000,
        new LatencySummary(100_000, 0, 120.5, 900.25, 1_500));
    return new BenchResult(system, 2.5, drain, rate, OptionalLong.of(512L << 20),
        BenchResult.Batches.of(List.of(batch(10, 800, 5), batch(0, 3, 0), batch(10, 1_000, 50), batch(10, 900, 20))));
  }

  private static BatchReport batch(long records, long processingMs, long schedulingMs) {
    return new BatchReport(Instant.EPOCH, records, 0, records, 0, processingMs, schedulingMs, 1, null, 0, 0, 0);
  }

  private final BenchReport report = new BenchReport(Map.of("events", 100_000L), result("baseline", 5, 14),
      result("spark", 10, 15));

  @Test
  void ratioIsSparkOverBaseline() {
    assertThat(report.ratio()).isEqualTo(0.5);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHasTheHeadlineFieldsAndTheSettings() {
    Map<String, Object> json = report.json();
    Map<String, Object> spark = (Map<String, Object>) json.get("spark");
    Map<String, Object> baseline = (Map<String, Object>) json.get("baseline");
    assertThat(baseline.get("events_per_second")).isEqualTo(20_000.0);
    assertThat(spark.get("events_per_second")).isEqualTo(10_000.0);
    assertThat(json.get("ratio")).isEqualTo(0.5);
    Map<String, Object> latency = (Map<String, Object>) spark.get("latency_ms");
    assertThat(latency).containsEntry("p50", 120.5).containsEntry("p99", 900.25).containsEntry("samples", 100_000L);
    assertThat((Map<String, Object>) spark.get("drain")).containsEntry("rows_per_second", 40_000.0)
        .containsEntry("offered_per_second", null);
    assertThat((Map<String, Object>) spark.get("batches")).containsEntry("count", 3)
        .containsEntry("processing_ms_p50", 900.0).containsEntry("scheduling_delay_ms_max", 50.0);
    assertThat(spark.get("peak_rss_bytes")).isEqualTo(512L << 20);
    assertThat((Map<String, Object>) json.get("settings")).containsEntry("events", 100_000L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDrainOnlyRunHasNoLatencyFigures() {
    BenchResult b = new BenchResult("baseline", 1, new BenchResult.Phase(10, 1, Double.NaN, 40, null), null,
        OptionalLong.empty(), BenchResult.Batches.of(List.of()));
    Map<String, Object> json = new BenchReport(Map.of(), b, b).json();
    Map<String, Object> latency = (Map<String, Object>) ((Map<String, Object>) json.get("spark")).get("latency_ms");
    assertThat(latency).containsEntry("p50", null).containsEntry("p99", null);
    assertThat(new BenchReport(Map.of(), b, b).table()).doesNotContain("latency").contains("drain events/s");
  }

  @Test
  void tableShowsBothSystemsSideBySide() {
    String table = report.table();
    assertThat(table).contains("baseline").contains("spark")
        .containsPattern("drain events/s\\s+20,000\\s+10,000")
        .containsPattern("latency p50 / p99 / max ms\\s+121 / 900 / 1,500")
        .containsPattern("peak RSS MiB\\s+512\\s+512")
        .contains("ratio spark / baseline: 0.50");
  }
}
