package io.fraudwatch.app.backtest;

import io.fraudwatch.app.pipeline.Bootstrap;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.models.training.TrainingWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The days a backtest uses, all UTC, in the handbook's layout: the bootstrap model learns from the
 * bootstrap window, which ends early enough that all its labels are known when the test window
 * starts (a label delay before it); the feature history is seeded with the bootstrap window and the
 * feature look-back before it; everything after the bootstrap window up to the end of the test
 * window is replayed through the job, and the metrics are computed on the test window.
 *
 * <p>Defaults: the test window is the week ending on the last day of the data (or the week from
 * {@code --test-from}; or, for data with a drift, from a week before its start to the last day);
 * the bootstrap window is the {@value #DEFAULT_BOOTSTRAP_DAYS} days ending on the last day whose
 * labels are all known at the start of the test window (with the 7-day delay and a test from
 * 2018-08-08: 2018-07-25..2018-07-31, the handbook's training week, and the days 2018-08-01..07
 * replayed before the test week, as the handbook leaves a delay week between training and test).
 */
public record BacktestPlan(
    LocalDate testFrom,
    LocalDate testTo,
    LocalDate bootstrapFrom,
    LocalDate bootstrapTo,
    Duration labelDelay) {

  public static final int DEFAULT_TEST_DAYS = 7;
  public static final int DEFAULT_BOOTSTRAP_DAYS = 7;

  /** Test days before the drift in the default window around one. */
  public static final int PRE_DRIFT_DAYS = 7;

  /**
   * The default window around a drift ends with the data, or after this many drifted days (the
   * recovery target's label delay and week, and as long again).
   */
  public static final int MAX_DRIFTED_DAYS = 28;

  /**
   * The handbook's training week: its known-compromised cards are counted from the start of the
   * training week, a week plus the label delay before the test (see {@link
   * io.fraudwatch.models.metrics.KnownCompromisedCards}).
   */
  public static final Duration HANDBOOK_TRAINING_PERIOD = Duration.ofDays(7);

  public BacktestPlan {
    Objects.requireNonNull(testFrom, "testFrom");
    Objects.requireNonNull(testTo, "testTo");
    Objects.requireNonNull(bootstrapFrom, "bootstrapFrom");
    Objects.requireNonNull(bootstrapTo, "bootstrapTo");
    if (labelDelay.isNegative() || labelDelay.isZero()) {
      throw new IllegalArgumentException("the label delay must be positive, got " + labelDelay);
    }
    if (testTo.isBefore(testFrom)) {
      throw new IllegalArgumentException(
          "--test-to " + testTo + " is before --test-from " + testFrom);
    }
    if (bootstrapTo.isBefore(bootstrapFrom)) {
      throw new IllegalArgumentException(
          "--bootstrap-to " + bootstrapTo + " is before --bootstrap-from " + bootstrapFrom);
    }
    if (!bootstrapFrom.isBefore(bootstrapTo)) {
      throw new IllegalArgumentException(
          "the bootstrap window "
              + bootstrapFrom
              + ".."
              + bootstrapTo
              + " needs at least 2 days (training and validation days)");
    }
    LocalDate lastKnown = lastBootstrapDay(testFrom, labelDelay);
    if (bootstrapTo.isAfter(lastKnown)) {
      throw new IllegalArgumentException(
          "--bootstrap-to "
              + bootstrapTo
              + " is too late: with a label delay of "
              + io.fraudwatch.config.Durations.format(labelDelay)
              + " its last labels are known only after "
              + testFrom
              + " begins, so the bootstrap model would learn what the test window cannot know yet; the latest is "
              + lastKnown);
    }
  }

  /**
   * Fills in what the flags leave out. {@code lastDataDay} is the last day of the input, for the
   * default test window; with neither test day given and a {@code driftStart} (the first day of a
   * drift in the data), the test window runs from {@value #PRE_DRIFT_DAYS} days before it to the
   * last day (at most {@value #MAX_DRIFTED_DAYS} days from the drift on), so that the report has
   * days to compare the drifted ones with.
   *
   * @throws IllegalArgumentException when the days do not make a backtest
   */
  public static BacktestPlan of(
      Optional<LocalDate> testFrom,
      Optional<LocalDate> testTo,
      Optional<LocalDate> bootstrapFrom,
      Optional<LocalDate> bootstrapTo,
      Duration labelDelay,
      LocalDate lastDataDay,
      Optional<LocalDate> driftStart) {
    boolean aroundDrift = testFrom.isEmpty() && testTo.isEmpty() && driftStart.isPresent();
    if (aroundDrift && driftStart.get().isAfter(lastDataDay)) {
      throw new IllegalArgumentException(
          "the drift starts on " + driftStart.get() + ", after the data's last day " + lastDataDay);
    }
    LocalDate to =
        testTo.orElseGet(
            () ->
                testFrom
                    .map(f -> f.plusDays(DEFAULT_TEST_DAYS - 1))
                    .orElse(
                        aroundDrift
                            ? min(lastDataDay, driftStart.get().plusDays(MAX_DRIFTED_DAYS - 1))
                            : lastDataDay));
    LocalDate from =
        testFrom.orElseGet(
            () ->
                aroundDrift
                    ? driftStart.get().minusDays(PRE_DRIFT_DAYS)
                    : to.minusDays(DEFAULT_TEST_DAYS - 1));
    LocalDate bTo = bootstrapTo.orElseGet(() -> lastBootstrapDay(from, labelDelay));
    LocalDate bFrom = bootstrapFrom.orElse(bTo.minusDays(DEFAULT_BOOTSTRAP_DAYS - 1));
    return new BacktestPlan(from, to, bFrom, bTo, labelDelay);
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  /** The last day all of whose labels are known when {@code testFrom} begins. */
  public static LocalDate lastBootstrapDay(LocalDate testFrom, Duration labelDelay) {
    Instant knownBy = start(testFrom).minus(labelDelay);
    return LocalDate.ofInstant(knownBy, ZoneOffset.UTC).minusDays(1);
  }

  public TrainingWindow trainingWindow() {
    return Bootstrap.window(bootstrapFrom, bootstrapTo);
  }

  public HandbookFeatures.Config features() {
    return new HandbookFeatures.Config(labelDelay);
  }

  /**
   * The seeded feature history starts here: the bootstrap window's first features see full windows.
   */
  public Instant historyStart() {
    return trainingWindow().historyStart(features());
  }

  /** The first replayed instant: midnight after the bootstrap window. */
  public Instant replayStart() {
    return start(bootstrapTo.plusDays(1));
  }

  public Instant testStart() {
    return start(testFrom);
  }

  /** Midnight after the test window: the end of the replay and of the assessed transactions. */
  public Instant testEnd() {
    return start(testTo.plusDays(1));
  }

  /**
   * Frauds from here on make their cards known compromised (the handbook's training week start).
   */
  public Instant knownCompromisedFrom() {
    return testStart().minus(labelDelay).minus(HANDBOOK_TRAINING_PERIOD);
  }

  /** The earliest transaction the backtest reads. */
  public Instant loadFrom() {
    Instant history = historyStart();
    Instant known = knownCompromisedFrom();
    return history.isBefore(known) ? history : known;
  }

  /**
   * Whether a drift starting on {@code driftStart} can be measured in the test window: it starts
   * after the window's first day, so that there are days before it, and not after its last.
   */
  public boolean measuresDrift(LocalDate driftStart) {
    return driftStart.isAfter(testFrom) && !driftStart.isAfter(testTo);
  }

  /** Whether the test window is the one the handbook published its figures for. */
  public boolean handbookTestWeek() {
    return testFrom.equals(LocalDate.of(2018, 8, 8))
        && testTo.equals(LocalDate.of(2018, 8, 14))
        && labelDelay.equals(Duration.ofDays(7));
  }

  private static Instant start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
