package io.fraudwatch.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class PeakRssTest {

  @Test
  void readsTheHighWaterMarkInBytes() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";
    assertThat(PeakRss.parseHwm(status)).hasValue(123456L * 1024);
  }

  @Test
  void emptyWithoutTheLine() {
    assertThat(PeakRss.parseHwm("Name:\tjava\n")).isEmpty();
  }

  @Test
  void thisProcessHasAPeak() {
    // reported as skipped, not passed, where /proc is missing
    assumeTrue(
        java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status")),
        "no /proc/self/status");
    assertThat(PeakRss.bytes()).isPresent();
    assertThat(PeakRss.bytes().getAsLong()).isPositive();
  }
}
