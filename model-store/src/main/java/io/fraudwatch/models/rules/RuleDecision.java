package io.fraudwatch.models.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision on one transaction: the model's alert OR any alert rule, minus suppress rules;
 * review rules only record their hit. Alerts name the rules that fired as {@code rule:<name>}
 * reason codes.
 */
public final class RuleDecision {
  public static final String REASON_PREFIX = "rule:";

  private RuleDecision() {}

  /** A rule that fired on the transaction. */
  public record Hit(String rule, RuleAction action) {}

  public static boolean alert(boolean modelAlert, List<Hit> hits) {
    boolean alert = modelAlert;
    for (Hit h : hits) {
      if (h.action() == RuleAction.SUPPRESS) {
        return false;
      }
      alert |= h.action() == RuleAction.ALERT;
    }
    return alert;
  }

  /** Whether the rules alone alert: an alert rule fired and no suppress rule did. */
  public static boolean rulesAlert(List<Hit> hits) {
    return alert(false, hits);
  }

  /** The names of the rules that fired, in rule-set order. */
  public static List<String> names(List<Hit> hits) {
    List<String> names = new ArrayList<>(hits.size());
    hits.forEach(h -> names.add(h.rule()));
    return names;
  }

  /** {@code rule:<name>}: how an alert says that a rule fired. */
  public static String reasonCode(String rule) {
    return REASON_PREFIX + rule;
  }
}
