package io.fraudwatch.models.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OnlineVersionScheduleTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));

  @Test
  void dueAfterKBatches() {
    OnlineVersionSchedule s = new OnlineVersionSchedule(3, Duration.ofMinutes(10), clock);
    s.batchLearned();
    s.batchLearned();
    assertThat(s.due()).isFalse();

    s.batchLearned();

    assertThat(s.due()).isTrue();
    s.versionStored();
    assertThat(s.due()).isFalse();
    assertThat(s.batchesSinceCut()).isZero();
  }

  @Test
  void dueAfterTMinutesWhenFewerBatchesWereLearned() {
    OnlineVersionSchedule s = new OnlineVersionSchedule(100, Duration.ofMinutes(10), clock);
    s.batchLearned();
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(s.due()).isFalse();

    clock.advance(Duration.ofMillis(1));

    assertThat(s.due()).isTrue();
  }

  @Test
  void notDueWithoutANewBatchHoweverLongItHasBeen() {
    OnlineVersionSchedule s = new OnlineVersionSchedule(0, Duration.ofMinutes(1), clock);
    clock.advance(Duration.ofHours(1));

    assertThat(s.due()).isFalse();
  }

  @Test
  void eitherTriggerMayBeDisabledButNotBoth() {
    OnlineVersionSchedule batchesOnly = new OnlineVersionSchedule(2, Duration.ZERO, clock);
    batchesOnly.batchLearned();
    clock.advance(Duration.ofDays(1));
    assertThat(batchesOnly.due()).isFalse();

    assertThatThrownBy(() -> new OnlineVersionSchedule(0, Duration.ZERO, clock))
        .hasMessageContaining("set a number of batches, a time interval, or both");
  }

  @Test
  void aFailedCutStaysDue() {
    OnlineVersionSchedule s = new OnlineVersionSchedule(1, Duration.ZERO, clock);
    s.batchLearned();
    assertThat(s.due()).isTrue();

    s.batchLearned(); // the store was down: no versionStored()

    assertThat(s.due()).isTrue();
  }
}
