package io.fraudwatch.app.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BacktestPlanTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final LocalDate AUG_8 = LocalDate.of(2018, 8, 8);
  private static final LocalDate LAST_DATA_DAY = LocalDate.of(2018, 8, 31);

  /** The plan of a test window (days given or not) on data ending on {@link #LAST_DATA_DAY}. */
  private static BacktestPlan testWindow(
      Optional<LocalDate> from, Optional<LocalDate> to, Optional<LocalDate> driftStart) {
    return BacktestPlan.of(
        from, to, Optional.empty(), Optional.empty(), WEEK, LAST_DATA_DAY, driftStart);
  }

  @Test
  void theHandbookLayoutFromTheTestStart() {
    BacktestPlan plan = testWindow(Optional.of(AUG_8), Optional.empty(), Optional.empty());

    assertThat(plan.testTo()).isEqualTo(LocalDate.of(2018, 8, 14));
    // labels of 07-31 are known on 08-07: the delay week 08-01..07 lies between bootstrap and test,
    // as in the handbook
    assertThat(plan.bootstrapTo()).isEqualTo(LocalDate.of(2018, 7, 31));
    assertThat(plan.bootstrapFrom()).isEqualTo(LocalDate.of(2018, 7, 25));
    assertThat(plan.replayStart()).isEqualTo(Instant.parse("2018-08-01T00:00:00Z"));
    assertThat(plan.testEnd()).isEqualTo(Instant.parse("2018-08-15T00:00:00Z"));
    // the handbook's training week 07-25..31 counts the known compromised cards
    assertThat(plan.knownCompromisedFrom()).isEqualTo(Instant.parse("2018-07-25T00:00:00Z"));
    // 30-day customer windows, terminal windows 30 days ending a week before
    assertThat(plan.historyStart()).isEqualTo(Instant.parse("2018-06-18T00:00:00Z"));
    assertThat(plan.loadFrom()).isEqualTo(plan.historyStart());
    assertThat(plan.handbookTestWeek()).isTrue();
  }

  @Test
  void withoutDatesTheTestIsTheDataLastWeek() {
    BacktestPlan plan = testWindow(Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(plan.testFrom()).isEqualTo(LocalDate.of(2018, 8, 25));
    assertThat(plan.testTo()).isEqualTo(LAST_DATA_DAY);
    assertThat(plan.handbookTestWeek()).isFalse();
  }

  @Test
  void withADriftStartTheDefaultTestRunsFromAWeekBeforeItToTheEndOfTheData() {
    Optional<LocalDate> drift = Optional.of(LocalDate.of(2018, 8, 20));
    BacktestPlan around = testWindow(Optional.empty(), Optional.empty(), drift);
    BacktestPlan given = testWindow(Optional.of(AUG_8), Optional.empty(), drift);

    BacktestPlan givenTo = testWindow(Optional.empty(), Optional.of(AUG_8), drift);

    assertThat(around.testFrom()).isEqualTo(LocalDate.of(2018, 8, 13));
    assertThat(around.testTo()).isEqualTo(LAST_DATA_DAY);
    assertThat(around.bootstrapTo()).isEqualTo(LocalDate.of(2018, 8, 5));
    assertThat(around.bootstrapFrom()).isEqualTo(LocalDate.of(2018, 7, 30));
    // a test day given wins
    assertThat(given.testFrom()).isEqualTo(AUG_8);
    assertThat(given.testTo()).isEqualTo(LocalDate.of(2018, 8, 14));
    assertThat(givenTo.testFrom()).isEqualTo(LocalDate.of(2018, 8, 2));
    assertThat(givenTo.testTo()).isEqualTo(AUG_8);
    assertThatThrownBy(
            () ->
                testWindow(
                    Optional.empty(), Optional.empty(), Optional.of(LAST_DATA_DAY.plusDays(1))))
        .hasMessageContaining(
            "the drift starts on 2018-09-01, after the data's last day 2018-08-31");
  }

  @Test
  void aDriftIsMeasuredWhenItStartsAfterTheFirstTestDayAndByTheLast() {
    BacktestPlan week = testWindow(Optional.of(AUG_8), Optional.empty(), Optional.empty());

    assertThat(week.measuresDrift(AUG_8)).isFalse();
    assertThat(week.measuresDrift(AUG_8.plusDays(1))).isTrue();
    assertThat(week.measuresDrift(week.testTo())).isTrue();
    assertThat(week.measuresDrift(week.testTo().plusDays(1))).isFalse();
  }

  @Test
  void theWindowAroundADriftEndsFourWeeksAfterItOrWithTheData() {
    BacktestPlan early =
        testWindow(Optional.empty(), Optional.empty(), Optional.of(LocalDate.of(2018, 6, 1)));
    BacktestPlan onTheLastDay =
        testWindow(Optional.empty(), Optional.empty(), Optional.of(LAST_DATA_DAY));

    assertThat(early.testFrom()).isEqualTo(LocalDate.of(2018, 5, 25));
    assertThat(early.testTo()).isEqualTo(LocalDate.of(2018, 6, 28));
    assertThat(onTheLastDay.testFrom()).isEqualTo(LocalDate.of(2018, 8, 24));
    assertThat(onTheLastDay.testTo()).isEqualTo(LAST_DATA_DAY);
  }

  @Test
  void aDelayOfHoursEndsTheBootstrapOnTheLastDayWhoseLabelsAreAllKnown() {
    // 08-08 00:00 - 36h = 08-06 12:00: day 08-05 is the last whose labels are all known
    assertThat(BacktestPlan.lastBootstrapDay(AUG_8, Duration.ofHours(36)))
        .isEqualTo(LocalDate.of(2018, 8, 5));
    assertThat(BacktestPlan.lastBootstrapDay(AUG_8, Duration.ofDays(1)))
        .isEqualTo(LocalDate.of(2018, 8, 6));
  }

  @Test
  void refusesABootstrapThatKnowsTheFuture() {
    assertThatThrownBy(() -> bootstrapWindow(Optional.empty(), LocalDate.of(2018, 8, 1)))
        .hasMessageContaining("--bootstrap-to 2018-08-01 is too late")
        .hasMessageContaining("the latest is 2018-07-31");
  }

  @Test
  void refusesBackwardsAndTooShortWindows() {
    assertThatThrownBy(
            () -> testWindow(Optional.of(AUG_8), Optional.of(AUG_8.minusDays(1)), Optional.empty()))
        .hasMessageContaining("--test-to 2018-08-07 is before --test-from 2018-08-08");
    assertThatThrownBy(
            () ->
                bootstrapWindow(Optional.of(LocalDate.of(2018, 7, 31)), LocalDate.of(2018, 7, 31)))
        .hasMessageContaining("needs at least 2 days");
    assertThatThrownBy(
            () ->
                bootstrapWindow(Optional.of(LocalDate.of(2018, 7, 20)), LocalDate.of(2018, 7, 10)))
        .hasMessageContaining("--bootstrap-to 2018-07-10 is before --bootstrap-from 2018-07-20");
  }

  /** The plan of a test from 08-08 with the bootstrap window given (its start or not). */
  private static BacktestPlan bootstrapWindow(Optional<LocalDate> from, LocalDate to) {
    return BacktestPlan.of(
        Optional.of(AUG_8),
        Optional.empty(),
        from,
        Optional.of(to),
        WEEK,
        LAST_DATA_DAY,
        Optional.empty());
  }
}
