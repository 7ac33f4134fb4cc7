package io.fraudwatch.scoring.core;

import io.fraudwatch.models.scoring.LinearScorer;
import java.io.Serializable;
import java.util.Optional;

/**
 * What scores a batch: the champion (alerts) and, when there is one, the challenger (shadow only).
 */
public record ModelPair(LinearScorer champion, LinearScorer challenger) implements Serializable {

  public ModelPair {
    java.util.Objects.requireNonNull(champion, "champion");
  }

  public Optional<LinearScorer> challengerScorer() {
    return Optional.ofNullable(challenger);
  }

  public long championVersion() {
    return champion.versionId();
  }

  /** The version ids, for change detection: a batch is scored by exactly one pair. */
  public String versions() {
    return "v"
        + champion.versionId()
        + (challenger == null ? "" : " / challenger v" + challenger.versionId());
  }
}
