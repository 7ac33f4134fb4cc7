package io.fraudwatch.avro;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * What the job's stores can hold: PostgreSQL's {@code fraudwatch} tables (migrations V1 and later)
 * and the executors' in-memory feature history. A field of a transaction or a label that passes
 * these rules is stored as it is; one that does not would be refused by the database, or would
 * break a feature window, so it goes to the dead-letter topic instead. Each rule says why it
 * exists. Plain functions, cheap enough for every record.
 */
public final class StoreLimits {

  /**
   * Longest id, in UTF-8 bytes. Transaction, customer and terminal ids are keys of B-tree indexes
   * (primary keys of alerts, labels and the transaction history, the alerts' customer index, the
   * sessions' and activity windows' keys); PostgreSQL refuses an index entry larger than 2704 bytes
   * ("index row size exceeds btree version 4 maximum"), and ids of card networks are a few dozen
   * characters. 256 bytes leaves room for every index's other columns.
   */
  public static final int MAX_ID_BYTES = 256;

  /**
   * The largest amount {@code numeric(14, 2)} holds (amounts columns of scored_transactions,
   * alerts, transaction_history).
   */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

  /**
   * Latest accepted time (event time of a transaction, known-at time of a label). The feature
   * history keys events by nanoseconds since the epoch in a signed 64-bit number, which ends on
   * 2262-04-11; anything later is corrupt (a seconds/microseconds mix-up, random bits).
   * PostgreSQL's timestamptz and the daily partitions' names ({@code
   * scored_transactions_pYYYYMMDD}) hold it.
   */
  public static final Instant LATEST_TIME = Instant.parse("2261-12-31T23:59:59.999Z");

  /**
   * Times must be after this instant: a zero or negative epoch time is a missing or corrupt field,
   * not a card payment.
   */
  public static final Instant EARLIEST_TIME_EXCLUSIVE = Instant.EPOCH;

  private static final double MAX_AMOUNT_DOUBLE = MAX_AMOUNT.doubleValue();

  /** Below this many cents a double holds every whole number of cents exactly. */
  private static final double EXACT_CENTS = 1e15;

  private StoreLimits() {}

  /**
   * Why an id cannot be stored, or null when it can: missing or blank (the tables refuse an empty
   * transaction id and a blank one identifies nothing); the NUL character (PostgreSQL text cannot
   * hold it: "invalid byte sequence for encoding UTF8: 0x00"); an unpaired UTF-16 surrogate (it has
   * no UTF-8 form, the database's encoding); longer than {@link #MAX_ID_BYTES} in UTF-8. One pass
   * over the characters, no allocation.
   */
  public static String idProblem(String name, String value) {
    if (value == null) {
      return name + " is missing";
    }
    if (value.isBlank()) {
      return name + " is blank";
    }
    int bytes = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return name
            + " contains the NUL character (U+0000) at index "
            + i
            + ", which PostgreSQL text cannot hold";
      }
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        return name
            + " contains an unpaired UTF-16 surrogate at index "
            + i
            + ", which has no UTF-8 form";
      } else {
        bytes += 3;
      }
      if (bytes > MAX_ID_BYTES) {
        return name
            + " is longer than "
            + MAX_ID_BYTES
            + " bytes in UTF-8 ("
            + utf8Length(value)
            + "): ids are keys of the tables' indexes";
      }
    }
    return null;
  }

  /**
   * Why an amount cannot be stored, or null when it can: not a finite number (NaN and the
   * infinities are no amounts, and a feature computed from one poisons the score); negative
   * (refunds are not card payments to score); larger than {@link #MAX_AMOUNT} once rounded to cents
   * ({@code numeric(14, 2)} overflows).
   */
  public static String amountProblem(String name, double amount) {
    if (Double.isNaN(amount) || Double.isInfinite(amount)) {
      return name + " is not a finite number: " + amount;
    }
    if (amount < 0) {
      return name + " is negative: " + amount;
    }
    if (amount > MAX_AMOUNT_DOUBLE && cents(amount) > MAX_AMOUNT_DOUBLE) {
      return name
          + " "
          + BigDecimal.valueOf(amount).toPlainString()
          + " is larger than "
          + MAX_AMOUNT.toPlainString()
          + ", the largest numeric(14, 2) amount the tables hold";
    }
    return null;
  }

  /**
   * Why a time cannot be stored, or null when it can: missing, or outside ({@link
   * #EARLIEST_TIME_EXCLUSIVE}, {@link #LATEST_TIME}] (see there why).
   */
  public static String timeProblem(String name, Instant time) {
    if (time == null) {
      return name + " is missing";
    }
    if (!time.isAfter(EARLIEST_TIME_EXCLUSIVE) || time.isAfter(LATEST_TIME)) {
      return name
          + " is outside (1970-01-01T00:00:00Z, "
          + LATEST_TIME
          + "]: "
          + time.toEpochMilli()
          + " ms since the epoch";
    }
    return null;
  }

  /**
   * A finite amount rounded half-up to cents, as {@code numeric(14, 2)} stores it, so that the
   * amount the job scores and keeps in its in-memory history is the one the tables hold. An amount
   * that is already a whole number of cents (the usual case) comes back unchanged without a decimal
   * conversion.
   *
   * @throws NumberFormatException when {@code amount} is NaN or infinite
   */
  public static double cents(double amount) {
    return isWholeCents(amount) ? amount : decimalCents(amount).doubleValue();
  }

  /**
   * {@link #cents} as a number of cents, as a {@code numeric(14, 2)} column or a decimal(14, 2)
   * Parquet column holds it unscaled. An amount that is already a whole number of cents (every
   * amount the job decoded) costs a multiplication: the decimal conversion's {@code
   * Double.toString} took 19 of 1,171 samples in a JFR profile of the default bench when the
   * PostgreSQL sink converted every amount, two or three times per row.
   */
  public static long unscaledCents(double amount) {
    return isWholeCents(amount)
        ? Math.round(amount * 100)
        : decimalCents(amount).unscaledValue().longValueExact();
  }

  private static boolean isWholeCents(double amount) {
    double scaled = amount * 100;
    return Math.abs(scaled) < EXACT_CENTS && Math.round(scaled) / 100.0 == amount;
  }

  private static BigDecimal decimalCents(double amount) {
    return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP);
  }

  private static long utf8Length(String value) {
    return value
        .codePoints()
        .mapToLong(cp -> cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)
        .sum();
  }
}
