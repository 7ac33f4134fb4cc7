package io.fraudwatch.models.rules;

import java.util.Locale;

/**
 * Where a rule stands: a draft until a version of it is enabled, then active, or disabled again.
 */
public enum RuleStatus {
  DRAFT,
  ACTIVE,
  DISABLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
