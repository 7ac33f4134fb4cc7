package io.fraudwatch.models;

import java.time.Instant;
import java.util.OptionalLong;

/** One audit-trail event: a slot of a model moved from one version (none at first) to another. */
public record SlotChange(long eventId, String modelName, Slot slot, Action action, OptionalLong fromVersion,
    long toVersion, String actor, Instant at, String reason) {

  public enum Action {
    PROMOTE,
    ROLLBACK;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
