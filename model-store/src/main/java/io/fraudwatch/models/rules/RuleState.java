package io.fraudwatch.models.rules;

import java.util.Optional;

/**
 * A rule as the CLI lists it: its newest version, its status, and the version in force when it is
 * active or was last enabled.
 */
public record RuleState(RuleVersion latest, RuleStatus status, Optional<RuleVersion> enabled) {

  /** The status of {@code v}: the rule's status for the version last enabled, draft otherwise. */
  public RuleStatus statusOf(RuleVersion v) {
    return enabled.isPresent() && enabled.get().id() == v.id() ? status : RuleStatus.DRAFT;
  }
}
