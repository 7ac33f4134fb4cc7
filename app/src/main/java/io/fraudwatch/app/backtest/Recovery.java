package io.fraudwatch.app.backtest;

import io.fraudwatch.models.metrics.WindowEvaluation;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * How a model came back after the data drifted: its daily average precision from the drift's first
 * day on, against its mean daily average precision over the test days before it.
 *
 * @param preDrift mean daily average precision over the test window's days before {@code
 *     driftStart} (the days that have one); empty when the test window starts at or after the drift
 * @param recoveryDays days from {@code driftStart} to the first day from which every later day's
 *     average precision is within {@link #TOLERANCE} of {@code preDrift} (0 when it never fell
 *     below); empty when it is still below on the window's last day, or there is nothing to compare
 *     with
 */
public record Recovery(LocalDate driftStart, OptionalDouble preDrift, OptionalLong recoveryDays) {
  /** "Back within 10 % of its pre-drift average precision". */
  public static final double TOLERANCE = 0.10;

  public static Recovery of(WindowEvaluation evaluation, LocalDate driftStart) {
    List<WindowEvaluation.DayEvaluation> days = evaluation.days();
    OptionalDouble preDrift =
        days.stream()
            .filter(d -> d.day().isBefore(driftStart))
            .filter(d -> d.averagePrecision().isPresent())
            .mapToDouble(d -> d.averagePrecision().getAsDouble())
            .average();
    if (preDrift.isEmpty()) {
      return new Recovery(driftStart, preDrift, OptionalLong.empty());
    }
    double floor = (1 - TOLERANCE) * preDrift.getAsDouble();
    LocalDate recovered = null;
    for (WindowEvaluation.DayEvaluation d : days) {
      if (d.day().isBefore(driftStart) || d.averagePrecision().isEmpty()) {
        continue;
      }
      if (d.averagePrecision().getAsDouble() < floor) {
        recovered = null;
      } else if (recovered == null) {
        recovered = d.day();
      }
    }
    return new Recovery(
        driftStart,
        preDrift,
        recovered == null
            ? OptionalLong.empty()
            : OptionalLong.of(ChronoUnit.DAYS.between(driftStart, recovered)));
  }
}
