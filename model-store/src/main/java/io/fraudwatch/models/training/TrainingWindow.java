package io.fraudwatch.models.training;

import io.fraudwatch.features.HandbookFeatures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The UTC days a batch fit learns from, {@code from..to} inclusive, of which the last {@code
 * validationDays} are held out for validation (a time-ordered split: the model is validated on days
 * after the ones it learned from, as it will be used).
 */
public record TrainingWindow(LocalDate from, LocalDate to, int validationDays) {

  public TrainingWindow {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "the window ends (" + to + ") before it starts (" + from + ")");
    }
    if (validationDays < 1) {
      throw new IllegalArgumentException("validation needs at least 1 day, got " + validationDays);
    }
    if (!from.isBefore(to.minusDays(validationDays - 1L))) {
      throw new IllegalArgumentException(
          "a window of "
              + (to.toEpochDay() - from.toEpochDay() + 1)
              + " day(s) leaves no "
              + "training day before "
              + validationDays
              + " validation day(s); widen --from/--to or lower --validation-days");
    }
  }

  /** The first validation day. */
  public LocalDate validationFrom() {
    return to.minusDays(validationDays - 1L);
  }

  public Instant start() {
    return from.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The end of the window, exclusive: midnight after {@code to}. */
  public Instant endExclusive() {
    return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public Instant validationStart() {
    return validationFrom().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Where history must start for the first day's features to see full windows. */
  public Instant historyStart(HandbookFeatures.Config config) {
    Duration lookback =
        config.terminalHorizon().compareTo(HandbookFeatures.CUSTOMER_HORIZON) > 0
            ? config.terminalHorizon()
            : HandbookFeatures.CUSTOMER_HORIZON;
    return start().minus(lookback);
  }
}
