package io.fraudwatch.models;

import java.util.Objects;
import java.util.OptionalLong;

/** A version to store: its content and, when it continues another version (e.g. online learning), that parent. */
public record NewModelVersion(ModelContent content, OptionalLong parentId) {

  public NewModelVersion {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(parentId, "parent id");
  }

  public static NewModelVersion of(ModelContent content) {
    return new NewModelVersion(content, OptionalLong.empty());
  }

  public static NewModelVersion derivedFrom(long parentId, ModelContent content) {
    return new NewModelVersion(content, OptionalLong.of(parentId));
  }
}
