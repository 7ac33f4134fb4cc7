package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.ReasonCode;
import java.util.Locale;

/**
 * How a reason code is stored in the {@code reason_codes text[]} columns: {@code FEATURE:+2.31}, the feature name,
 * a colon, and its contribution to the score's log-odds with an explicit sign and two decimals (C locale), e.g.
 * {@code TERMINAL_ID_RISK_7DAY_WINDOW:+2.31}. Readable in psql, sortable by feature, and parseable back.
 */
public final class ReasonCodeFormat {

  private ReasonCodeFormat() {}

  public static String format(ReasonCode code) {
    return String.format(Locale.ROOT, "%s:%+.2f", code.feature(), code.contribution());
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
      return new ReasonCode(text.substring(0, colon), Double.parseDouble(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("reason code '" + text + "' has no numeric contribution", e);
    }
  }
}
