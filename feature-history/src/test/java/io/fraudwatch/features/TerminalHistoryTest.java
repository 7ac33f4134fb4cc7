package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TerminalHistoryTest {

  private static final Instant T = Instant.parse("2018-04-20T12:00:00Z");
  private static final Instant WINDOW_END = T.minus(Duration.ofDays(7));
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final TerminalHistory history =
      new TerminalHistory("T1", HandbookFeatures.Config.DEFAULT);

  private boolean add(long id, Instant time, Boolean fraud, Instant knownAt) {
    return history.add(new TerminalEvent(String.valueOf(id), "T1", time, fraud, knownAt));
  }

  private void addBoundaryCase() {
    add(1, WINDOW_END, true, T); // exactly t - d: in; label known at t
    add(2, WINDOW_END.plus(SECOND), true, T.minus(SECOND)); // after t - d: in no window
    add(
        3,
        WINDOW_END.minus(Duration.ofDays(1)),
        false,
        T.minus(Duration.ofDays(1))); // exactly t - d - 1d
    add(
        4,
        WINDOW_END.minus(Duration.ofDays(1)).plus(SECOND),
        true,
        T.plus(SECOND)); // fraud, label not yet known
    add(5, WINDOW_END.minus(Duration.ofDays(7)), true, WINDOW_END); // exactly t - d - 7d
    add(6, WINDOW_END.minus(Duration.ofDays(30)), true, WINDOW_END); // exactly t - d - 30d: in none
    add(7, WINDOW_END.minus(Duration.ofDays(30)).plus(SECOND), null, null); // label unknown
  }

  @Test
  void windowsEndOneLabelDelayAgoAndCountOnlyKnownFrauds() {
    addBoundaryCase();

    double[] f = history.features(T);

    // 1d: {1, 4} frauds known {1}; 7d: {1, 3, 4} -> {1}; 30d: {1, 3, 4, 5, 7} -> {1, 5}
    assertThat(f[0]).isEqualTo(2);
    assertThat(f[1]).isEqualTo(0.5);
    assertThat(f[2]).isEqualTo(3);
    assertThat(f[3]).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(f[4]).isEqualTo(5);
    assertThat(f[5]).isEqualTo(0.4);
    // the latest two of the 30-day window are 4 (label not yet known) and 1
    assertThat(f[6]).isEqualTo(1);
  }

  @Test
  void aLabelKnownEarlierCountsFromThen() {
    addBoundaryCase();

    assertThat(add(4, WINDOW_END.minus(Duration.ofDays(1)).plus(SECOND), true, T)).isTrue();

    double[] f = history.features(T);
    assertThat(f[1]).isEqualTo(1.0);
    assertThat(f[3]).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(f[5]).isEqualTo(0.6);
    assertThat(f[6]).isEqualTo(2);
  }

  @Test
  void riskIsZeroWhenTheWindowIsEmpty() {
    add(1, WINDOW_END.plus(SECOND), true, WINDOW_END.plus(SECOND));

    assertThat(history.features(T)).containsExactly(0, 0, 0, 0, 0, 0, 0);
    assertThat(new TerminalHistory("T2", HandbookFeatures.Config.DEFAULT).features(T))
        .containsExactly(0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void theSameTransactionFromSnapshotAndStreamCountsOnce() {
    Instant time = WINDOW_END.minus(Duration.ofHours(1));
    assertThat(add(1, time, null, null)).isTrue(); // streamed, label unknown
    assertThat(add(1, time, true, time.plus(Duration.ofDays(7)))).isTrue(); // snapshot with label
    assertThat(add(1, time, true, time.plus(Duration.ofDays(7)))).isFalse(); // again
    assertThat(add(1, time, null, null)).isFalse();

    assertThat(history.size()).isEqualTo(1);
    assertThat(history.features(T)).containsExactly(1, 1, 1, 1, 1, 1, 1);
  }

  @Test
  void labelsMergeTheSameWayWhateverTheOrder() {
    Instant time = T.minus(Duration.ofDays(10)); // in the 7-day window of queries at T - 3d .. T
    Instant early = T.minus(Duration.ofDays(2));
    Instant late = T.minus(Duration.ofDays(1));
    Instant between = T.minus(Duration.ofHours(36));
    // equal verdicts: the earliest known time stays
    add(1, time, true, late);
    assertThat(history.features(between)[3]).isEqualTo(0.0);
    assertThat(add(1, time, true, early)).isTrue();
    assertThat(add(1, time, true, late)).isFalse();
    assertThat(history.features(between)[3]).isEqualTo(1.0);

    // a different verdict known later is a correction; one known earlier is not
    assertThat(add(1, time, false, early.minus(SECOND))).isFalse();
    assertThat(add(1, time, false, late)).isTrue();
    assertThat(history.features(T)[3]).isEqualTo(0.0);
    assertThat(add(1, time, true, late)).isTrue(); // same time: fraud wins
    assertThat(history.features(T)[3]).isEqualTo(1.0);
  }

  @Test
  void aLabelCanArriveBeforeItsTransaction() {
    Instant time = WINDOW_END.minus(Duration.ofHours(1));

    assertThat(add(1, time, true, time)).isTrue();
    assertThat(add(1, time, null, null)).isFalse();

    assertThat(history.features(T)).containsExactly(1, 1, 1, 1, 1, 1, 1);
  }

  @Test
  void pruneDropsWhatIsOlderThanDelayPlusThirtyDays() {
    Instant watermark = T;
    Instant cutoff = T.minus(Duration.ofDays(37));
    add(1, cutoff, true, cutoff);
    add(2, cutoff.plus(SECOND), true, cutoff.plus(SECOND));

    history.prune(watermark);

    assertThat(history.size()).isEqualTo(1);
    assertThat(history.features(T)).containsExactly(0, 0, 0, 0, 1, 1, 1);
    assertThat(add(3, cutoff, false, cutoff)).isFalse();
  }

  @Test
  void latestFraudsLookAtTheLatestTransactionsOfTheDelayedWindowOnly() {
    add(1, WINDOW_END.minus(Duration.ofDays(31)), true, WINDOW_END); // out of the 30-day window
    assertThat(history.features(T)[6]).isZero();

    add(2, WINDOW_END.minus(Duration.ofDays(3)), true, WINDOW_END);
    add(3, WINDOW_END.minus(Duration.ofDays(2)), true, WINDOW_END);
    assertThat(history.features(T)[6]).isEqualTo(2);

    add(4, WINDOW_END.minus(Duration.ofDays(1)), false, WINDOW_END); // pushes 2 out of the latest
    add(5, WINDOW_END.plus(SECOND), true, WINDOW_END); // after t - d: not among them
    assertThat(history.features(T)[6]).isEqualTo(1);

    add(4, WINDOW_END.minus(Duration.ofDays(1)), true, T.plus(SECOND)); // known only after t
    assertThat(history.features(T)[6]).isEqualTo(1);
    assertThat(history.features(T.plus(SECOND))[6]).isEqualTo(2);
  }

  @Test
  void rejectsAnotherTerminalsEvent() {
    assertThatThrownBy(() -> history.add(new TerminalEvent(String.valueOf(1), "T9", T, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("terminal T9, not to T1");
  }

  @Test
  void aLabelNeedsBothVerdictAndTime() {
    assertThatThrownBy(() -> new TerminalEvent(String.valueOf(1), "T1", T, true, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both set or both null");
  }
}
