package io.fraudwatch.simulator;

import java.util.List;
import java.util.Locale;

/**
 * A change in the simulated world from a given day on, on top of the handbook's generator, to see
 * whether a model that learns online follows it. Days before the start day are exactly those of the
 * stationary simulation with the same parameters (the same draws: a scenario only adds
 * transactions, scales amounts or flips reported labels, from its own keyed random streams).
 *
 * <ul>
 *   <li>{@link Stationary}: nothing changes (the handbook's generator as is).
 *   <li>{@link NewPattern}: card testing, a kind of fraud the handbook's three scenarios never
 *       produce: from the start day, every day some cards (customers) are tested by fraudsters with
 *       a burst of small amounts at night, each at a random terminal anywhere on the map; every
 *       burst transaction is fraud, scenario {@value NewPattern#FRAUD_SCENARIO}.
 *   <li>{@link Gradual}: customers' spending shifts over weeks: from the start day every amount is
 *       multiplied by a factor that grows linearly until, at the end of the ramp, it is the
 *       scenario's factor, and stays there. The handbook's large-amount threshold (scenario 1)
 *       follows the spending, so the very transactions that are fraud in the stationary simulation
 *       are fraud here: only the amounts move, and what a model learned about large amounts before
 *       the shift goes stale.
 *   <li>{@link LabelNoise}: on the start day only, each transaction's reported label (what
 *       investigators tell the system) is flipped with the given probability; the truth ({@code
 *       TX_FRAUD}) is unchanged and the reported label is written beside it ({@code
 *       TX_FRAUD_REPORTED}).
 * </ul>
 */
public sealed interface DriftScenario {

  /** The scenario names {@code simulate --scenario} takes. */
  List<String> NAMES = List.of(Stationary.NAME, NewPattern.NAME, Gradual.NAME, LabelNoise.NAME);

  /** The day (0 = the start date) the change begins; a stationary simulation never changes. */
  int startDay();

  /** Its parameters in a line, for the user and the docs. */
  String describe();

  /** Whether some reported labels differ from the truth, so that files must carry both. */
  default boolean flipsLabels() {
    return false;
  }

  /**
   * Amounts on {@code day} are this multiple of the stationary simulation's; so is the scenario-1
   * threshold.
   */
  default double amountFactor(int day) {
    return 1.0;
  }

  /**
   * The named scenario with its default parameters, starting on {@code startDay}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  static DriftScenario named(String name, int startDay) {
    return switch (name) {
      case Stationary.NAME -> new Stationary();
      case NewPattern.NAME -> NewPattern.startingOn(startDay);
      case Gradual.NAME -> Gradual.startingOn(startDay);
      case LabelNoise.NAME -> LabelNoise.on(startDay);
      default ->
          throw new IllegalArgumentException(
              "no scenario '" + name + "'; the scenarios are " + String.join(", ", NAMES));
    };
  }

  /** The handbook's generator, unchanged. */
  record Stationary() implements DriftScenario {
    public static final String NAME = "stationary";

    @Override
    public int startDay() {
      return Integer.MAX_VALUE;
    }

    @Override
    public String describe() {
      return "stationary: the handbook's generator, nothing changes";
    }
  }

  /**
   * Card testing from {@code startDay}: each day {@code cardsPerDay} cards, drawn among all
   * customers, get a burst of {@code minBurst..maxBurst} transactions (uniform), the first at a
   * uniform time between midnight and {@code nightEndHour}, the next ones {@code
   * minGapSeconds..maxGapSeconds} apart (what would fall after {@code nightEndHour} is not made:
   * the bursts are at night), each of an amount uniform in [{@code minAmount}, {@code maxAmount})
   * at a terminal drawn uniformly among all.
   */
  record NewPattern(
      int startDay,
      int cardsPerDay,
      int minBurst,
      int maxBurst,
      double minAmount,
      double maxAmount,
      int nightEndHour,
      int minGapSeconds,
      int maxGapSeconds)
      implements DriftScenario {
    public static final String NAME = "new-pattern";

    /** The {@code TX_FRAUD_SCENARIO} of card-testing frauds (the handbook's own are 1 to 3). */
    public static final int FRAUD_SCENARIO = 4;

    public NewPattern {
      requireStartDay(startDay);
      requireRange("cards per day", cardsPerDay, 1, 1_000_000);
      requireRange("burst size", minBurst, 1, maxBurst);
      requireRange("night end hour", nightEndHour, 1, 24);
      requireRange("gap", minGapSeconds, 0, maxGapSeconds);
      if (!(minAmount > 0 && minAmount < maxAmount) || Double.isInfinite(maxAmount)) {
        throw new IllegalArgumentException(
            "card-testing amounts need 0 < min < max, got " + minAmount + ".." + maxAmount);
      }
    }

    /**
     * 6 cards a day, bursts of 4 to 12 transactions of 0.50 to 5.00 between midnight and 06:00, 1
     * to 10 minutes apart.
     */
    public static NewPattern startingOn(int startDay) {
      return new NewPattern(startDay, 6, 4, 12, 0.5, 5.0, 6, 60, 600);
    }

    @Override
    public String describe() {
      return String.format(
          Locale.ROOT,
          "new-pattern (card testing): %d cards a day, bursts of %d-%d"
              + " transactions of %.2f-%.2f between 00:00 and %02d:00, %d-%d s apart, at random terminals; fraud"
              + " scenario %d",
          cardsPerDay,
          minBurst,
          maxBurst,
          minAmount,
          maxAmount,
          nightEndHour,
          minGapSeconds,
          maxGapSeconds,
          FRAUD_SCENARIO);
    }
  }

  /**
   * Spending shifts linearly from the start day until, on its {@code rampDays}-th day and after,
   * amounts (and the scenario-1 threshold) are {@code factor} times the stationary simulation's; a
   * factor below 1 shrinks them.
   */
  record Gradual(int startDay, int rampDays, double factor) implements DriftScenario {
    public static final String NAME = "gradual";

    /** Amounts 100 times larger are a different card business, not a drift of this one. */
    public static final double MAX_FACTOR = 100;

    public Gradual {
      requireStartDay(startDay);
      requireRange("ramp days", rampDays, 1, 100_000);
      if (!(factor > 0 && factor <= MAX_FACTOR)) {
        throw new IllegalArgumentException(
            "the amount factor must be in (0, " + (int) MAX_FACTOR + "], got " + factor);
      }
    }

    /**
     * Amounts 1.5 times over 14 days: with the default start, 13 days before the end, the ramp ends
     * on the last day.
     */
    public static Gradual startingOn(int startDay) {
      return new Gradual(startDay, 14, 1.5);
    }

    @Override
    public double amountFactor(int day) {
      if (day < startDay) {
        return 1.0;
      }
      double progress = Math.min(1.0, (double) (day - startDay + 1) / rampDays);
      return 1.0 + (factor - 1.0) * progress;
    }

    @Override
    public String describe() {
      return String.format(
          Locale.ROOT,
          "gradual: amounts (and the large-amount threshold) grow"
              + " linearly to %s times over %d days",
          factor,
          rampDays);
    }
  }

  /** On {@code startDay} alone, each reported label is flipped with probability {@code share}. */
  record LabelNoise(int startDay, double share) implements DriftScenario {
    public static final String NAME = "label-noise";

    public LabelNoise {
      requireStartDay(startDay);
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException(
            "the share of flipped labels must be in (0, 1], got " + share);
      }
    }

    /** A tenth of the day's labels flipped. */
    public static LabelNoise on(int day) {
      return new LabelNoise(day, 0.1);
    }

    @Override
    public boolean flipsLabels() {
      return true;
    }

    @Override
    public String describe() {
      return String.format(
          Locale.ROOT,
          "label-noise: a share of %s of the start day's reported labels flipped"
              + " (the truth is kept in TX_FRAUD, the reported label in TX_FRAUD_REPORTED)",
          share);
    }
  }

  private static void requireStartDay(int startDay) {
    if (startDay < 0) {
      throw new IllegalArgumentException("the start day must be >= 0, got " + startDay);
    }
  }

  private static void requireRange(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
