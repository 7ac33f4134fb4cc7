package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchPlanTest {

  private static BenchPlan plan(
      long events,
      Long warmup,
      int customers,
      int partitions,
      double threshold,
      boolean drain,
      Double rate) {
    return BenchPlan.of(events, warmup, customers, 1000, 4, partitions, threshold, 0, drain, rate);
  }

  @Test
  void byDefaultDrainsThenRunsAtAShareOfTheDrainRateAfterAWarmUp() {
    BenchPlan p = plan(200_000, null, 10_000, 2, BenchPlan.ALERT_ALL, false, null);
    assertThat(p.mode()).isEqualTo(BenchPlan.Mode.DRAIN_THEN_RATE);
    assertThat(p.warmup()).isEqualTo(20_000);
    assertThat(p.drainFrom()).isEqualTo(20_000);
    assertThat(p.rateLeadInFrom()).isEqualTo(220_000);
    assertThat(p.rateLeadIn()).isEqualTo(100_000);
    assertThat(p.rateFrom()).isEqualTo(320_000);
    assertThat(p.streamed()).isEqualTo(520_000);
    assertThat(p.settings())
        .containsEntry("mode", "drain_then_rate")
        .containsEntry("rate_fraction_of_drain", 0.7)
        .containsEntry("history_rows", 40_000L);
  }

  @Test
  void heapNeededGrowsWithTheHistoryRows() {
    long small = plan(100_000, null, 10_000, 2, 0.45, true, null).heapNeeded();
    long large = plan(100_000, null, 10_000_000, 2, 0.45, true, null).heapNeeded();
    // 40,000 rows fit beside the base; 40 million rows need some 10 GB
    assertThat(small).isLessThan(BenchPlan.BASE_HEAP_BYTES + (20L << 20));
    assertThat(large - BenchPlan.BASE_HEAP_BYTES)
        .isEqualTo(40_000_000L * BenchPlan.SNAPSHOT_BYTES_PER_HISTORY_ROW);
  }

  @Test
  void drainOrRateAloneRunOnePhase() {
    BenchPlan drain = plan(5_000, null, 10, 1, 0.5, true, null);
    assertThat(drain.ratePhase()).isFalse();
    assertThat(drain.warmup()).isEqualTo(1_000);
    assertThat(drain.rateLeadIn()).isZero();
    assertThat(drain.streamed()).isEqualTo(6_000);
    BenchPlan rate = plan(5_000, 100L, 10, 1, 0.5, false, 2_000.0);
    assertThat(rate.drainPhase()).isFalse();
    assertThat(rate.rateLeadInFrom()).isEqualTo(100);
    assertThat(rate.rateFrom()).isEqualTo(2_600);
    assertThat(rate.rate()).hasValue(2_000.0);
  }

  @Test
  void refusesWhatCannotRunNamingTheFlag() {
    assertThatThrownBy(() -> plan(0, null, 10, 2, 0.5, false, null))
        .hasMessageContaining("--events");
    assertThatThrownBy(() -> plan(10, 0L, 10, 2, 0.5, false, null))
        .hasMessageContaining("--warmup");
    assertThatThrownBy(() -> plan(10, null, 0, 2, 0.5, false, null))
        .hasMessageContaining("--customers");
    assertThatThrownBy(() -> plan(10, null, 10, 0, 0.5, false, null))
        .hasMessageContaining("--partitions");
    assertThatThrownBy(() -> plan(10, null, 10, 2, 0, false, null))
        .hasMessageContaining("--threshold");
    assertThatThrownBy(() -> plan(10, null, 10, 2, 1, false, null))
        .hasMessageContaining("--threshold");
    assertThatThrownBy(() -> plan(10, null, 10, 2, 0.5, false, -1.0))
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> plan(10, null, 10, 2, 0.5, false, Double.POSITIVE_INFINITY))
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> plan(10, null, 10, 2, 0.5, true, 5.0))
        .hasMessageContaining("--drain and --rate");
    assertThatThrownBy(() -> plan(Integer.MAX_VALUE, null, 10, 2, 0.5, false, null))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> BenchPlan.of(10, null, 10, 10, -1, 2, 0.5, 0, false, null))
        .hasMessageContaining("--history-per-customer");
  }
}
