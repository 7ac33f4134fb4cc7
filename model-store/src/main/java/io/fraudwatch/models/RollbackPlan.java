package io.fraudwatch.models;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a rollback goes by default, read from one slot's audit trail (oldest event first).
 * Rollbacks undo promotions like an undo stack: after promoting v1, v2, v3, rolling back twice
 * gives v2 then v1, not v2 then v3 again. A promotion pushes the version it replaced; a rollback to
 * a version on the stack pops down to it; a rollback to any other former occupant is a jump that a
 * later rollback undoes.
 */
public final class RollbackPlan {
  private RollbackPlan() {}

  /**
   * The version a rollback without {@code --to} returns to; empty when there is nothing to undo.
   */
  public static OptionalLong defaultTarget(List<SlotChange> slotEvents) {
    Deque<Long> undo = new ArrayDeque<>();
    for (SlotChange e : slotEvents) {
      if (e.action() == SlotChange.Action.ROLLBACK && undo.contains(e.toVersion())) {
        long popped;
        do {
          popped = undo.pop();
        } while (popped != e.toVersion());
      } else {
        e.fromVersion().ifPresent(undo::push);
      }
    }
    return undo.isEmpty() ? OptionalLong.empty() : OptionalLong.of(undo.peek());
  }

  /** Every version that has held the slot: the only legitimate targets of a rollback. */
  public static Set<Long> formerOccupants(List<SlotChange> slotEvents) {
    return slotEvents.stream().map(SlotChange::toVersion).collect(Collectors.toSet());
  }
}
