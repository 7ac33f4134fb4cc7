package io.fraudwatch.models.rules;

import java.util.Locale;

/** What a rule that fires does to the decision. */
public enum RuleAction {
  /** Alerts, whatever the model says (unless a suppress rule fires too). */
  ALERT,
  /** Takes the alert back, whether the model or an alert rule raised it. */
  SUPPRESS,
  /** Only records the hit (with the scored row), to watch a rule before it acts. */
  REVIEW;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException when {@code label} is none of alert, suppress, review
   */
  public static RuleAction of(String label) {
    for (RuleAction a : values()) {
      if (a.label().equals(label)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown rule action '" + label + "' (alert, suppress or review)");
  }
}
