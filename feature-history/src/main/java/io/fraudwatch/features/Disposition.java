package io.fraudwatch.features;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An investigator's verdict on an alert, as {@code fraudwatch.alert_reviews.disposition} stores it.
 * {@code confirmed_fraud} and {@code legitimate} become labels (source {@code INVESTIGATOR}, known
 * at the review's time); {@code unsure} records the look and labels nothing.
 */
public enum Disposition {
  CONFIRMED_FRAUD,
  LEGITIMATE,
  UNSURE;

  /** The value in the database and on the command line: {@code confirmed_fraud}, ... */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The label this verdict gives: fraud or genuine; empty for {@link #UNSURE}. */
  public Optional<Boolean> fraud() {
    return switch (this) {
      case CONFIRMED_FRAUD -> Optional.of(true);
      case LEGITIMATE -> Optional.of(false);
      case UNSURE -> Optional.empty();
    };
  }

  /**
   * @throws IllegalArgumentException naming the accepted values when {@code value} is none of them
   */
  public static Disposition of(String value) {
    return Arrays.stream(values())
        .filter(d -> d.sqlName().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown disposition '"
                        + value
                        + "', expected one of "
                        + Arrays.stream(values()).map(Disposition::sqlName).toList()));
  }
}
