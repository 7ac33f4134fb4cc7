package io.fraudwatch.models;

import io.fraudwatch.models.drift.TrainingDistribution;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A version to store: its content, the version it continues (e.g. online learning) if any, and the
 * distribution of its training data when the caller has it (the batch trainer does); without one, a
 * version with a parent gets its parent's, rescored with its own weights.
 */
public record NewModelVersion(
    ModelContent content, OptionalLong parentId, Optional<TrainingDistribution> distribution) {

  public NewModelVersion {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(parentId, "parent id");
    Objects.requireNonNull(distribution, "distribution");
  }

  public static NewModelVersion of(ModelContent content) {
    return new NewModelVersion(content, OptionalLong.empty(), Optional.empty());
  }

  public static NewModelVersion derivedFrom(long parentId, ModelContent content) {
    return new NewModelVersion(content, OptionalLong.of(parentId), Optional.empty());
  }

  /** The same version with the distribution of its training data. */
  public NewModelVersion withDistribution(TrainingDistribution d) {
    return new NewModelVersion(content, parentId, Optional.of(d));
  }
}
