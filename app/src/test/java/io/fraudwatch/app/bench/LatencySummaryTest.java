package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void measuresFromTheDueTimeAndCountsEventsWithoutAlert() {
    int n = 102;
    long[] due = new long[n];
    long[] alerted = new long[n];
    for (int i = 0; i < 100; i++) {
      due[i + 1] = 1_000_000_000L + i * 1_000_000L;
      alerted[i + 1] = due[i + 1] + (i + 1) * 1_000_000L; // 1..100 ms
    }
    due[0] = 5;
    alerted[0] = 5 + 999_000_000L; // outside the range asked for
    due[101] = 7; // no alert
    LatencySummary s = LatencySummary.of(due, alerted, 1, 102);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.missing()).isEqualTo(1);
    assertThat(s.p50Ms()).isCloseTo(50, within(0.1));
    assertThat(s.p99Ms()).isCloseTo(99, within(0.1));
    assertThat(s.maxMs()).isCloseTo(100, within(0.1));
  }

  @Test
  void noAlertsGiveNoFigures() {
    LatencySummary s = LatencySummary.of(new long[3], new long[3], 0, 3);
    assertThat(s.count()).isZero();
    assertThat(s.missing()).isEqualTo(3);
    assertThat(s.p99Ms()).isNaN();
  }
}
