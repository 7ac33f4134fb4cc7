package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.ReasonCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How a reason code is stored in the {@code reason_codes text[]} columns: {@code FEATURE:+2.31},
 * the feature name, a colon, and its contribution to the score's log-odds with an explicit sign and
 * two decimals (C locale), e.g. {@code TERMINAL_ID_RISK_7DAY_WINDOW:+2.31}. Readable in psql,
 * sortable by feature, and parseable back.
 */
public final class ReasonCodeFormat {

  /**
   * Below this magnitude a contribution times 100 is within 1e-7 of the exact product, and its
   * decimal text within 1e-7 of it too (in cents), so away from a half cent both round alike.
   */
  private static final double FAST_BELOW = 1e6;

  /** How far from a half cent, in cents, the fast path rounds the binary value itself. */
  private static final double TIE_MARGIN = 1e-6;

  private ReasonCodeFormat() {}

  /**
   * The same text as {@code String.format(Locale.ROOT, "%s:%+.2f", ...)} (half-up on the decimal
   * representation, a sign also on zero), without the formatter's parsing and locale look-ups:
   * every scored row formats three of these. Rounding the binary value in cents gives the same
   * digits except within a hair of a half cent ({@code 1.005} is 1.00499... in binary, yet its text
   * rounds up), where the exact decimal rounding of {@link BigDecimal} decides.
   */
  public static String format(ReasonCode code) {
    double contribution = code.contribution();
    if (!Double.isFinite(contribution)) {
      return String.format(Locale.ROOT, "%s:%+.2f", code.feature(), contribution);
    }
    // the raw sign bit, as the formatter: -0.0 and values that round to zero from below print as
    // -0.00
    char sign = Double.doubleToRawLongBits(contribution) < 0 ? '-' : '+';
    double magnitude = Math.abs(contribution);
    StringBuilder text = new StringBuilder(code.feature().length() + 16);
    text.append(code.feature()).append(':').append(sign);
    if (magnitude < FAST_BELOW) {
      double scaled = magnitude * 100;
      double whole = Math.floor(scaled);
      double fraction = scaled - whole;
      if (Math.abs(fraction - 0.5) > TIE_MARGIN) {
        long cents = (long) whole + (fraction > 0.5 ? 1 : 0);
        int small = (int) (cents % 100);
        return text.append(cents / 100).append(small < 10 ? ".0" : ".").append(small).toString();
      }
    }
    return text.append(
            BigDecimal.valueOf(magnitude).setScale(2, RoundingMode.HALF_UP).toPlainString())
        .toString();
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not {@code NAME:±number}
   */
  public static ReasonCode parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("reason code '" + text + "' is not FEATURE:+contribution");
    }
    try {
      return new ReasonCode(
          text.substring(0, colon), Double.parseDouble(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "reason code '" + text + "' has no numeric contribution", e);
    }
  }
}
