package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final StringWriter written = new StringWriter();
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

  private ProgressLine progress(boolean terminal) {
    return new ProgressLine(new PrintWriter(written), terminal, nanos::get);
  }

  /** Many updates a second, as the bench's seeding reports each chunk, for {@code seconds}. */
  private void updateTenTimesASecond(ProgressLine progress, int seconds) {
    for (int i = 0; i < seconds * 10; i++) {
      int rows = i;
      progress.show(() -> "rows " + rows);
      nanos.addAndGet(100_000_000L);
    }
  }

  @Test
  void offATerminalProgressIsWholeLinesAtMostOnceASecond() {
    ProgressLine progress = progress(false);

    updateTenTimesASecond(progress, 3);
    progress.end();

    assertThat(written.toString())
        .doesNotContain("\r")
        .isEqualTo("rows 0%nrows 10%nrows 20%n".formatted());
  }

  @Test
  void onATerminalOneLineIsRewrittenInPlaceAndEndedOnce() {
    ProgressLine progress = progress(true);

    progress.show(() -> "rows 1,000,000");
    nanos.addAndGet(1_000_000_000L);
    progress.show(() -> "rows 7");
    progress.end();
    progress.end();

    // the shorter line blanks what is left of the longer one
    assertThat(written.toString())
        .isEqualTo("\rrows 1,000,000\rrows 7" + " ".repeat(8) + System.lineSeparator());
  }

  @Test
  void aTextIsComputedOnlyWhenShown() {
    ProgressLine progress = progress(false);
    AtomicLong computed = new AtomicLong();

    for (int i = 0; i < 100; i++) {
      progress.show(() -> "n " + computed.incrementAndGet());
    }

    assertThat(computed).hasValue(1);
  }

  @Test
  void endingWithNothingShownPrintsNothing() {
    progress(true).end();

    assertThat(written.toString()).isEmpty();
  }
}
