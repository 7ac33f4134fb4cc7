package io.fraudwatch.models.online;

import static io.fraudwatch.models.online.Examples.days;
import static io.fraudwatch.models.online.Examples.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefitScheduleTest {

  private static final Duration DAY = Duration.ofDays(1);

  /** {@code n} examples of transactions at day {@code day}, the first {@code frauds} frauds. */
  private static List<LabelledExample> step(String name, double day, int n, int frauds) {
    List<LabelledExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(example(name + i, days(day), days(day + 7), i < frauds));
    }
    return out;
  }

  private static List<String> ids(Optional<List<LabelledExample>> examples) {
    return examples.orElseThrow().stream().map(LabelledExample::transactionId).toList();
  }

  @Test
  void dueOnceEveryIntervalOfLabelWatermarkWithTheExamplesOfTheWindow() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 1, 1);

    // the first step starts the clock
    assertThat(refits.learned(step("a", 0, 2, 1), days(7))).isEmpty();
    assertThat(refits.learned(step("b", 0.5, 2, 1), days(7.5))).isEmpty();

    Optional<List<LabelledExample>> first = refits.learned(step("c", 1, 2, 1), days(8));

    assertThat(ids(first)).containsExactly("a0", "a1", "b0", "b1", "c0", "c1");
    assertThat(refits.learned(step("d", 2.5, 2, 1), days(8.5))).isEmpty();
    // day 0 and 0.5 are more than 2 days before the newest transaction (3)
    assertThat(ids(refits.learned(step("e", 3, 2, 1), days(9))))
        .containsExactly("c0", "c1", "d0", "d1", "e0", "e1");
  }

  @Test
  void stepsWhoseWatermarksFallJustShortOfTheirEndsRefitAtEveryPeriod() {
    RefitSchedule refits = new RefitSchedule(Duration.ofHours(12), DAY, 1000, 1, 1);
    // a step's label watermark is its last label's, a little before the step's end
    assertThat(refits.learned(step("a", 0, 2, 1), days(7.49))).isEmpty();

    assertThat(refits.learned(step("b", 0.5, 2, 1), days(7.99))).isPresent();
    assertThat(refits.learned(step("c", 1, 2, 1), days(8.45))).isPresent();
    assertThat(refits.learned(step("d", 1.2, 2, 1), days(8.48))).isEmpty();
  }

  @Test
  void waitsForEnoughLabelsAndFraudsSinceTheLastRefitSoThatTheVersionsAfterItCanBeJudged() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 5, 2);
    refits.learned(step("a", 0, 3, 1), days(7));
    assertThat(refits.learned(step("b", 1, 3, 1), days(8))).isPresent();

    // a new period, but only 3 labels (1 fraud) learned since
    assertThat(refits.learned(step("c", 2, 3, 1), days(9))).isEmpty();
    assertThat(refits.learned(step("d", 2.2, 1, 0), days(9.2))).isEmpty();
    assertThat(refits.learned(step("e", 2.4, 1, 1), days(9.4))).isPresent();
  }

  @Test
  void keepsTheNewestExamplesUpToItsLimit() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 3, 1, 1);
    refits.learned(step("a", 0, 2, 1), days(7));

    assertThat(ids(refits.learned(step("b", 1, 2, 1), days(8)))).containsExactly("a1", "b0", "b1");
  }

  @Test
  void labelsLearnedLateJoinTheWindowUnlessTheirTransactionsAreAlreadyOutOfIt() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 1, 1);
    refits.learned(step("s", 1.5, 1, 1), days(9));
    assertThat(refits.learned(step("a", 3, 2, 1), days(10))).isPresent();
    // late, at the same label watermark: day 2 is within 2 days of the newest transaction (3), day
    // 0.5 is not
    refits.learned(step("late", 2, 1, 1), days(10));
    refits.learned(step("old", 0.5, 1, 1), days(10));

    assertThat(ids(refits.learned(step("b", 3.5, 2, 1), days(11))))
        .containsExactly("s0", "a0", "a1", "late0", "b0", "b1");
  }

  @Test
  void notDueWithoutEnoughFraudsOrWithoutGenuineOnesAndDueAsSoonAsThereAre() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 1, 3);
    refits.learned(step("a", 0, 5, 1), days(7));

    assertThat(refits.learned(step("b", 1, 5, 1), days(8))).isEmpty();

    assertThat(refits.learned(step("c", 1.1, 5, 1), days(8.1))).isPresent();

    RefitSchedule onlyFrauds = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 1, 1);
    onlyFrauds.learned(step("a", 0, 5, 5), days(7));
    assertThat(onlyFrauds.learned(step("b", 1, 5, 5), days(8))).isEmpty();
  }

  @Test
  void aResumedScheduleFitsOnTheStoredWindowAndWaitsForNewLabelsFirst() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 3, 1);
    List<LabelledExample> stored = new ArrayList<>();
    stored.addAll(step("old", -1, 2, 1));
    stored.addAll(step("s", 0.5, 2, 1));
    stored.addAll(step("t", 1.5, 2, 1));

    // the learner had learned up to label watermark day 8.6 (transactions up to day 1.6)
    refits.resume(stored, days(8.6));

    // the window keeps the stored examples within 2 days of the newest
    assertThat(refits.kept()).isEqualTo(4);
    // a new period, but fewer new labels than the minimum: not yet
    assertThat(refits.learned(step("a", 2, 2, 1), days(9))).isEmpty();
    // enough new labels: the fit has the stored examples and the new ones
    assertThat(ids(refits.learned(step("b", 2.2, 1, 0), days(9.2))))
        .containsExactly("s0", "s1", "t0", "t1", "a0", "a1", "b0");
  }

  @Test
  void aResumedScheduleCountsThePeriodItStoppedInAsRefitted() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 1, 1);
    refits.resume(step("s", 0.5, 4, 1), days(8.2));

    // the first step after the restart enters the next period: it refits (a fresh schedule only
    // notes the period of its first step)
    assertThat(ids(refits.learned(step("b", 2, 2, 1), days(9))))
        .containsExactly("s0", "s1", "s2", "s3", "b0", "b1");

    RefitSchedule stillInItsPeriod = new RefitSchedule(DAY, Duration.ofDays(7), 1000, 1, 1);
    stillInItsPeriod.resume(step("s", 0.5, 4, 1), days(8.2));
    assertThat(stillInItsPeriod.learned(step("a", 1.3, 2, 1), days(8.3))).isEmpty();
  }

  @Test
  void aFreshLearnerWaitsUntilItsLabelsSpanHalfTheWindow() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(4), 1000, 1, 1);
    refits.learned(step("a", 0, 2, 1), days(7));

    // new periods with enough labels, but a day, then a day and a half of transactions
    assertThat(refits.learned(step("b", 1, 2, 1), days(8))).isEmpty();
    assertThat(refits.learned(step("c", 1.5, 2, 1), days(8.5))).isEmpty();
    // two days: half the window; due within the same period
    assertThat(ids(refits.learned(step("d", 2, 2, 1), days(8.9))))
        .containsExactly("a0", "a1", "b0", "b1", "c0", "c1", "d0", "d1");
  }

  @Test
  void offWhenTheIntervalIsZero() {
    RefitSchedule refits = new RefitSchedule(Duration.ZERO, Duration.ofDays(4), 1000, 1, 1);

    assertThat(refits.enabled()).isFalse();
    for (int day = 0; day < 10; day++) {
      assertThat(refits.learned(step("d" + day, day, 5, 2), days(day + 7))).isEmpty();
    }
  }

  @Test
  void stepsWithoutLabelsChangeNothing() {
    RefitSchedule refits = new RefitSchedule(DAY, Duration.ofDays(2), 1000, 1, 1);

    assertThat(refits.learned(List.of(), null)).isEmpty();
    assertThat(refits.learned(step("a", 0, 2, 1), days(7))).isEmpty();
    assertThat(refits.learned(List.of(), null)).isEmpty();
    assertThat(refits.learned(step("b", 1, 2, 1), days(8))).isPresent();
  }

  @Test
  void refusesAZeroWindowOrNegativeSettings() {
    assertThatThrownBy(() -> new RefitSchedule(DAY, Duration.ZERO, 10, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RefitSchedule(DAY.negated(), DAY, 10, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RefitSchedule(DAY, DAY, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
