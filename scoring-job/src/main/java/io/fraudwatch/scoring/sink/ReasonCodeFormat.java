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

  private ReasonCodeFormat() {}

  /**
   * The same text as {@code String.format(Locale.ROOT, "%s:%+.2f", ...)} (half-up on the shortest
   * decimal representation, a sign also on zero), without the formatter's parsing and locale
   * look-ups: every scored row formats three of these.
   */
  public static String format(ReasonCode code) {
    double contribution = code.contribution();
    if (!Double.isFinite(contribution)) {
      return String.format(Locale.ROOT, "%s:%+.2f", code.feature(), contribution);
    }
    // the raw sign bit, as the formatter: -0.0 and values that round to zero from below print as
    // -0.00
    char sign = Double.doubleToRawLongBits(contribution) < 0 ? '-' : '+';
    String digits =
        BigDecimal.valueOf(Math.abs(contribution))
            .setScale(2, RoundingMode.HALF_UP)
            .toPlainString();
    return code.feature() + ':' + sign + digits;
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
