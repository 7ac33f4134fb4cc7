package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void measuresAlertedEventsFromTheDueTimeAndCountsAlertsNotOnTheTopic() {
    int n = 103;
    long[] due = new long[n];
    long[] alerted = new long[n];
    for (int i = 0; i < 100; i++) {
      due[i + 1] = 1_000_000_000L + i * 1_000_000L;
      alerted[i + 1] = due[i + 1] + (i + 1) * 1_000_000L; // 1..100 ms
    }
    due[0] = 5;
    alerted[0] = 5 + 999_000_000L; // outside the range asked for
    due[101] = 7; // alerted, but its alert never arrived on the topic
    due[102] = 9; // did not alert
    long[] stored = LongStream.range(1, 102).toArray();
    LatencySummary s = LatencySummary.of(due, alerted, stored);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.missing()).isEqualTo(1);
    assertThat(s.p50Ms()).isCloseTo(50, within(0.1));
    assertThat(s.p99Ms()).isCloseTo(99, within(0.1));
    assertThat(s.maxMs()).isCloseTo(100, within(0.1));
  }

  @Test
  void noAlertsGiveNoFigures() {
    LatencySummary s = LatencySummary.of(new long[3], new long[3], new long[] {0, 1, 2});
    assertThat(s.count()).isZero();
    assertThat(s.missing()).isEqualTo(3);
    assertThat(s.p99Ms()).isNaN();
  }
}
