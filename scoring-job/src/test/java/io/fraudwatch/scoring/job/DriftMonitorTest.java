package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriftMonitorTest {
  @Test
  void anHourIsReadWholeUpToTheRowsPerHourAndSampledDownToAboutThemAbove() {
    assertThat(DriftMonitor.stride(0, 2_000)).isEqualTo(1);
    assertThat(DriftMonitor.stride(2_000, 2_000)).isEqualTo(1);
    assertThat(DriftMonitor.stride(2_001, 2_000)).isEqualTo(2);
    assertThat(DriftMonitor.stride(21_700, 2_000)).isEqualTo(11);
    assertThat(DriftMonitor.stride(180_000_000L, 2_000)).isEqualTo(90_000);
  }
}
