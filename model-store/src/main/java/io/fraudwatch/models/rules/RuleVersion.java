package io.fraudwatch.models.rules;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a rule, immutable once stored: a boolean Spark SQL expression over the enriched
 * transaction ({@link EnrichedFields}), what it does when it fires, who wrote it and why.
 *
 * @param id the store's id of this version (0 for one not stored yet)
 * @param version the rule's own version number, 1 for its first
 */
public record RuleVersion(
    long id,
    String name,
    int version,
    String expression,
    RuleAction action,
    String author,
    String reason,
    Instant createdAt)
    implements Serializable {

  public RuleVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(action, "action");
  }

  /** {@code name v2}: how the CLI and the logs name a version. */
  public String label() {
    return name + " v" + version;
  }

  /** Whether {@code other} says the same thing (a new version would change nothing). */
  public boolean sameContent(RuleVersion other) {
    return expression.strip().equals(other.expression.strip()) && action == other.action;
  }
}
