package io.fraudwatch.models;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One audit-trail event: a slot of a model moved from one version (none at first) to another.
 * {@code actor} is who the command said it acted for; {@code dbUser} the database login that
 * recorded it (empty for events recorded before the trail kept it).
 */
public record SlotChange(
    long eventId,
    String modelName,
    Slot slot,
    Action action,
    OptionalLong fromVersion,
    long toVersion,
    String actor,
    Instant at,
    String reason,
    Optional<String> dbUser) {

  public enum Action {
    PROMOTE,
    ROLLBACK;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
