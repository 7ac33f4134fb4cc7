package io.fraudwatch.features;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The Fraud Detection Handbook's baseline features (Chapter 3, "Baseline feature transformation"):
 * the amount, weekend and night flags, per-customer spending over 1/7/30 days, and per-terminal
 * transaction counts and fraud rates over 1/7/30 days that ended one label delay ago; then six
 * spending-deviation features: the amount squared, the amount over the customer's 7- and 30-day
 * mean amounts, that 30-day ratio squared, the largest of the customer's earlier amounts in the
 * 30-day window, and the amount over it. The squares let a linear model make risk grow faster than
 * linearly with large amounts and large departures from a card's usual spending; the ratio to the
 * largest earlier amount flags a card spending beyond anything it did lately. On the handbook data
 * they lift all three test-week metrics over the baseline fifteen (README, Backtest). Last, two
 * features for frauds that are small rather than large: the log of the amount (with the amount, a
 * linear model can make both ends of the amount range risky, e.g. card testing's tiny amounts) and
 * the night flag times the customer's 1-day count and the customer's count over the last hour
 * (bursts of transactions). Then two that lift the handbook week (docs/learning.md, "Features"):
 * the amount above {@link #AMOUNT_KNOT}, a hinge that lets a linear model give amounts above the
 * knot a steeper risk of their own, and the number of frauds among the terminal's {@link
 * #TERMINAL_LATEST} latest transactions whose labels could be known, which says whether a terminal
 * is compromised <em>now</em> rather than over a window. Last, for card testing (docs/learning.md,
 * "A feature for card testing"): at night, the customer's transactions under {@link #SMALL_AMOUNT}
 * in the last hour, several small ones at night being what a linear model cannot read from the
 * amount, the hour's count and the night flag one by one.
 *
 * <p>Event times are UTC instants; the handbook's naive datetimes are read as UTC.
 */
public final class HandbookFeatures {

  /** Window lengths in days, in schema order. */
  public static final List<Integer> WINDOW_DAYS = List.of(1, 7, 30);

  /** How far back a customer's history must reach: the longest customer window. */
  public static final Duration CUSTOMER_HORIZON = Duration.ofDays(30);

  public static final FeatureSchema SCHEMA =
      new FeatureSchema(
          List.of(
              "TX_AMOUNT",
              "TX_DURING_WEEKEND",
              "TX_DURING_NIGHT",
              "CUSTOMER_ID_NB_TX_1DAY_WINDOW",
              "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW",
              "CUSTOMER_ID_NB_TX_7DAY_WINDOW",
              "CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW",
              "CUSTOMER_ID_NB_TX_30DAY_WINDOW",
              "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW",
              "TERMINAL_ID_NB_TX_1DAY_WINDOW",
              "TERMINAL_ID_RISK_1DAY_WINDOW",
              "TERMINAL_ID_NB_TX_7DAY_WINDOW",
              "TERMINAL_ID_RISK_7DAY_WINDOW",
              "TERMINAL_ID_NB_TX_30DAY_WINDOW",
              "TERMINAL_ID_RISK_30DAY_WINDOW",
              "TX_AMOUNT_SQUARED",
              "AMOUNT_TO_CUSTOMER_AVG_7DAY_WINDOW",
              "AMOUNT_TO_CUSTOMER_AVG_30DAY_WINDOW",
              "AMOUNT_TO_CUSTOMER_AVG_30DAY_WINDOW_SQUARED",
              "CUSTOMER_ID_MAX_EARLIER_AMOUNT_30DAY_WINDOW",
              "AMOUNT_TO_CUSTOMER_MAX_EARLIER_30DAY_WINDOW",
              "TX_AMOUNT_LOG",
              "NIGHT_CUSTOMER_ID_NB_TX_1DAY_WINDOW",
              "CUSTOMER_ID_NB_TX_1HOUR_WINDOW",
              "TX_AMOUNT_OVER_200",
              "TERMINAL_ID_NB_FRAUD_LATEST_2_TX",
              "NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW"));

  /** Number of features without the bias term. */
  public static final int SIZE = SCHEMA.size();

  /** Offset of the six customer features (count, mean amount per window) in the vector. */
  public static final int CUSTOMER_OFFSET = 3;

  /** Offset of the six terminal features (count, risk per window) in the vector. */
  public static final int TERMINAL_OFFSET = CUSTOMER_OFFSET + 2 * WINDOW_DAYS.size();

  /** Offset of the six spending-deviation features. */
  public static final int DEVIATION_OFFSET = TERMINAL_OFFSET + 2 * WINDOW_DAYS.size();

  /**
   * The customer's short window, for bursts: its counts are the last two values of the customer
   * part.
   */
  public static final Duration CUSTOMER_BURST_WINDOW = Duration.ofHours(1);

  /**
   * Below this an amount is small: {@code NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW} counts the
   * customer's small transactions in the {@link #CUSTOMER_BURST_WINDOW}, at night (card testing).
   */
  public static final double SMALL_AMOUNT = 10;

  /**
   * Number of values a customer's history gives: count and mean amount per window, then the largest
   * earlier amount, then the count and the small transactions' count in the {@link
   * #CUSTOMER_BURST_WINDOW}.
   */
  public static final int CUSTOMER_PART = 2 * WINDOW_DAYS.size() + 3;

  /** Where the amount's hinge starts: {@code TX_AMOUNT_OVER_200} is max(0, amount - this). */
  public static final double AMOUNT_KNOT = 200;

  /**
   * How many of a terminal's latest transactions in its delayed 30-day window the {@code
   * TERMINAL_ID_NB_FRAUD_LATEST_2_TX} feature looks at.
   */
  public static final int TERMINAL_LATEST = 2;

  /**
   * Number of values a terminal's history gives: count and risk per window, then the frauds among
   * its {@link #TERMINAL_LATEST} latest transactions.
   */
  public static final int TERMINAL_PART = 2 * WINDOW_DAYS.size() + 1;

  /** The frauds among the terminal's latest transactions whose labels could be known. */
  static final int TERMINAL_FRAUD_LATEST = column("TERMINAL_ID_NB_FRAUD_LATEST_2_TX");

  /** The customer's number of transactions in the burst window, itself included. */
  static final int CUSTOMER_COUNT_BURST = column("CUSTOMER_ID_NB_TX_1HOUR_WINDOW");

  /**
   * At night, the customer's number of transactions under {@link #SMALL_AMOUNT} in the burst
   * window, itself included when small; 0 by day. Holds that number by day and night until {@link
   * #derive} applies the night flag.
   */
  static final int NIGHT_SMALL_COUNT_BURST = column("NIGHT_CUSTOMER_ID_NB_SMALL_TX_1HOUR_WINDOW");

  /**
   * The largest earlier amount of the customer in the 30-day window: the third value from the end
   * of the customer part.
   */
  static final int CUSTOMER_MAX_EARLIER_30DAY =
      column("CUSTOMER_ID_MAX_EARLIER_AMOUNT_30DAY_WINDOW");

  // the columns derive() reads and writes, by name, so that the schema's order is stated once
  private static final int AMOUNT = column("TX_AMOUNT");
  private static final int CUSTOMER_AVG_7DAY = column("CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW");
  private static final int CUSTOMER_AVG_30DAY = column("CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW");
  private static final int AMOUNT_SQUARED = column("TX_AMOUNT_SQUARED");
  private static final int TO_AVG_7DAY = column("AMOUNT_TO_CUSTOMER_AVG_7DAY_WINDOW");
  private static final int TO_AVG_30DAY = column("AMOUNT_TO_CUSTOMER_AVG_30DAY_WINDOW");
  private static final int TO_AVG_30DAY_SQUARED =
      column("AMOUNT_TO_CUSTOMER_AVG_30DAY_WINDOW_SQUARED");
  private static final int TO_MAX_EARLIER_30DAY =
      column("AMOUNT_TO_CUSTOMER_MAX_EARLIER_30DAY_WINDOW");
  private static final int NIGHT = column("TX_DURING_NIGHT");
  private static final int CUSTOMER_COUNT_1DAY = column("CUSTOMER_ID_NB_TX_1DAY_WINDOW");
  private static final int AMOUNT_LOG = column("TX_AMOUNT_LOG");
  private static final int NIGHT_COUNT_1DAY = column("NIGHT_CUSTOMER_ID_NB_TX_1DAY_WINDOW");
  private static final int AMOUNT_OVER_KNOT = column("TX_AMOUNT_OVER_200");

  private static int column(String name) {
    int at = SCHEMA.names().indexOf(name);
    if (at < 0) {
      throw new IllegalStateException("feature " + name + " is not in the schema");
    }
    return at;
  }

  /**
   * Feature parameters that are not fixed by the schema.
   *
   * @param labelDelay how long after a transaction its fraud label becomes known; the terminal
   *     windows end this long before the transaction being scored. Must be positive.
   */
  public record Config(Duration labelDelay) implements Serializable {

    /** The handbook protocol: labels known 7 days after the transaction. */
    public static final Config DEFAULT = new Config(Duration.ofDays(7));

    public Config {
      Objects.requireNonNull(labelDelay, "labelDelay");
      if (labelDelay.isNegative() || labelDelay.isZero()) {
        throw new IllegalArgumentException("labelDelay must be positive, got " + labelDelay);
      }
    }

    /** How far back a terminal's history must reach: label delay plus the longest window. */
    public Duration terminalHorizon() {
      return labelDelay.plus(Duration.ofDays(WINDOW_DAYS.get(WINDOW_DAYS.size() - 1)));
    }
  }

  /**
   * The calendar flags are computed from the epoch second: {@code LocalDateTime.ofInstant(t,
   * ZoneOffset.UTC)} builds a new {@code ZoneRules} at every call, a per-event cost the job's
   * profile showed.
   */
  private static final long SECONDS_PER_DAY = 86_400;

  private HandbookFeatures() {}

  /** 1 when the transaction happens on a Saturday or Sunday (UTC). */
  public static boolean duringWeekend(Instant eventTime) {
    // 1970-01-01, epoch day 0, was a Thursday: Monday is 0, Saturday 5 and Sunday 6
    long day = Math.floorMod(Math.floorDiv(eventTime.getEpochSecond(), SECONDS_PER_DAY) + 3, 7);
    return day >= 5;
  }

  /** 1 when the transaction happens between 00:00:00 and 06:59:59.999... (UTC). */
  public static boolean duringNight(Instant eventTime) {
    return Math.floorMod(eventTime.getEpochSecond(), SECONDS_PER_DAY) < 7 * 3600;
  }

  /**
   * Assembles a feature vector in {@link #SCHEMA} order.
   *
   * @param customerPart count and mean amount for each of {@link #WINDOW_DAYS}, then the largest of
   *     the customer's earlier amounts in the 30-day window, 0 when there is none, then the count
   *     and the count of amounts under {@link #SMALL_AMOUNT} in the {@link #CUSTOMER_BURST_WINDOW}
   *     ({@link #CUSTOMER_PART} values)
   * @param terminalPart count and risk for each of {@link #WINDOW_DAYS}, then the frauds among the
   *     terminal's {@link #TERMINAL_LATEST} latest transactions ({@link #TERMINAL_PART} values)
   */
  public static double[] vector(
      Instant eventTime, double amount, double[] customerPart, double[] terminalPart) {
    if (customerPart.length != CUSTOMER_PART || terminalPart.length != TERMINAL_PART) {
      throw new IllegalArgumentException(
          "the customer part needs "
              + CUSTOMER_PART
              + " values and the terminal part "
              + TERMINAL_PART
              + ", got "
              + customerPart.length
              + " and "
              + terminalPart.length);
    }
    double[] v = new double[SIZE];
    v[0] = amount;
    v[1] = duringWeekend(eventTime) ? 1.0 : 0.0;
    v[2] = duringNight(eventTime) ? 1.0 : 0.0;
    System.arraycopy(customerPart, 0, v, CUSTOMER_OFFSET, 2 * WINDOW_DAYS.size());
    v[CUSTOMER_MAX_EARLIER_30DAY] = customerPart[CUSTOMER_PART - 3];
    v[CUSTOMER_COUNT_BURST] = customerPart[CUSTOMER_PART - 2];
    v[NIGHT_SMALL_COUNT_BURST] = customerPart[CUSTOMER_PART - 1];
    System.arraycopy(terminalPart, 0, v, TERMINAL_OFFSET, TERMINAL_PART - 1);
    v[TERMINAL_FRAUD_LATEST] = terminalPart[TERMINAL_PART - 1];
    derive(v);
    return v;
  }

  /**
   * Fills the spending-deviation features computed from other values of the vector, and keeps the
   * hour's small count at night only: every value but those must be set, the small count as the
   * customer part gives it. The customer windows include the transaction itself, so a mean is
   * positive unless every amount in the window is zero; a ratio to a zero mean or to no earlier
   * amount is 1 (the amount is taken as the usual one).
   */
  static void derive(double[] v) {
    double amount = v[AMOUNT];
    double ratio30 = ratio(amount, v[CUSTOMER_AVG_30DAY]);
    v[AMOUNT_SQUARED] = amount * amount;
    v[TO_AVG_7DAY] = ratio(amount, v[CUSTOMER_AVG_7DAY]);
    v[TO_AVG_30DAY] = ratio30;
    v[TO_AVG_30DAY_SQUARED] = ratio30 * ratio30;
    v[TO_MAX_EARLIER_30DAY] = ratio(amount, v[CUSTOMER_MAX_EARLIER_30DAY]);
    v[AMOUNT_LOG] = Math.log1p(Math.max(0, amount));
    v[NIGHT_COUNT_1DAY] = v[NIGHT] * v[CUSTOMER_COUNT_1DAY];
    v[AMOUNT_OVER_KNOT] = Math.max(0, amount - AMOUNT_KNOT);
    // the flag is 0 or 1, so deriving a vector twice leaves the count as it was
    v[NIGHT_SMALL_COUNT_BURST] = v[NIGHT] * v[NIGHT_SMALL_COUNT_BURST];
  }

  private static double ratio(double amount, double reference) {
    return reference > 0 ? amount / reference : 1.0;
  }
}
