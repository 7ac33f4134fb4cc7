package io.fraudwatch.scoring.core;

import io.fraudwatch.models.rules.CompiledRules;
import io.fraudwatch.models.scoring.LinearScorer;
import java.io.Serializable;
import java.util.Optional;

/**
 * What scores a batch: the champion (alerts) and, when there is one, the challenger (shadow only),
 * and the rules in force, which decide with the champion.
 */
public record ModelPair(LinearScorer champion, LinearScorer challenger, CompiledRules rules)
    implements Serializable {

  public ModelPair {
    java.util.Objects.requireNonNull(champion, "champion");
    java.util.Objects.requireNonNull(rules, "rules");
  }

  /** The models without rules. */
  public ModelPair(LinearScorer champion, LinearScorer challenger) {
    this(champion, challenger, CompiledRules.NONE);
  }

  public Optional<LinearScorer> challengerScorer() {
    return Optional.ofNullable(challenger);
  }

  public long championVersion() {
    return champion.versionId();
  }

  /** The version ids and rule set, for the logs: a batch is scored by exactly one pair. */
  public String versions() {
    return "v"
        + champion.versionId()
        + (challenger == null ? "" : " / challenger v" + challenger.versionId())
        + (rules.id() == 0 ? "" : " / " + rules.describe());
  }
}
