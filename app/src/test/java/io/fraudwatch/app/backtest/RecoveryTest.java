package io.fraudwatch.app.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.models.metrics.WindowEvaluation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RecoveryTest {
  private static final LocalDate DAY1 = LocalDate.of(2018, 9, 10);
  private static final LocalDate DRIFT = DAY1.plusDays(3);

  /** A window from DAY1 with these daily average precisions (null: a day without one). */
  private static WindowEvaluation daily(Double... ap) {
    List<WindowEvaluation.DayEvaluation> days = new ArrayList<>();
    for (int i = 0; i < ap.length; i++) {
      days.add(
          new WindowEvaluation.DayEvaluation(
              DAY1.plusDays(i),
              100,
              5,
              OptionalDouble.empty(),
              ap[i] == null ? OptionalDouble.empty() : OptionalDouble.of(ap[i]),
              OptionalDouble.empty(),
              0));
    }
    return new WindowEvaluation(
        DAY1,
        DAY1.plusDays(ap.length - 1),
        100,
        100L * ap.length,
        5L * ap.length,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        days);
  }

  @Test
  void recoveryIsTheFirstDayFromWhichEveryLaterDayIsWithinTenPercentOfThePreDriftMean() {
    // before: 0.6, 0.7, 0.8 (mean 0.7, floor 0.63); after: 0.3, 0.65 (back), 0.5 (not), 0.64, 0.7
    Recovery r = Recovery.of(daily(0.6, 0.7, 0.8, 0.3, 0.65, 0.5, 0.64, 0.7), DRIFT);

    assertThat(r.preDrift().getAsDouble())
        .isCloseTo(0.7, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(r.recoveryDays())
        .hasValue(3); // from the day 0.64 on, 3 days after the drift started
  }

  @Test
  void aModelThatNeverFellIsBackAtOnceAndOneStillBelowIsNotBack() {
    assertThat(Recovery.of(daily(0.5, 0.5, 0.5, 0.46, 0.5), DRIFT).recoveryDays()).hasValue(0);
    assertThat(Recovery.of(daily(0.5, 0.5, 0.5, 0.5, 0.4), DRIFT).recoveryDays()).isEmpty();
  }

  @Test
  void daysWithoutAnAveragePrecisionAreSkippedAndNoDayBeforeTheDriftMeansNothingToCompare() {
    assertThat(Recovery.of(daily(0.5, null, 0.5, null, 0.2, null, 0.49), DRIFT).recoveryDays())
        .hasValue(3);
    Recovery none = Recovery.of(daily(0.5, 0.5), DAY1);
    assertThat(none.preDrift()).isEmpty();
    assertThat(none.recoveryDays()).isEmpty();
  }
}
