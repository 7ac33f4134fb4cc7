package io.fraudwatch.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RollbackPlanTest {

  private final List<SlotChange> trail = new ArrayList<>();

  private void event(SlotChange.Action action, Long from, long to) {
    trail.add(
        new SlotChange(
            trail.size() + 1,
            "fraud-lr",
            Slot.CHAMPION,
            action,
            from == null ? OptionalLong.empty() : OptionalLong.of(from),
            to,
            "alice",
            Instant.EPOCH,
            "test",
            java.util.Optional.of("operator")));
  }

  private void promote(Long from, long to) {
    event(SlotChange.Action.PROMOTE, from, to);
  }

  private void rollback(long from, long to) {
    event(SlotChange.Action.ROLLBACK, from, to);
  }

  @Test
  void nothingToUndoBeforeASecondChampion() {
    assertThat(RollbackPlan.defaultTarget(trail)).isEmpty();
    promote(null, 1);
    assertThat(RollbackPlan.defaultTarget(trail)).isEmpty();
  }

  @Test
  void repeatedRollbacksWalkBackThroughPromotions() {
    promote(null, 1);
    promote(1L, 2);
    promote(2L, 3);
    assertThat(RollbackPlan.defaultTarget(trail)).hasValue(2);
    rollback(3, 2);
    assertThat(RollbackPlan.defaultTarget(trail)).hasValue(1);
    rollback(2, 1);
    assertThat(RollbackPlan.defaultTarget(trail)).isEmpty();
  }

  @Test
  void aPromotionAfterARollbackCanItselfBeUndone() {
    promote(null, 1);
    promote(1L, 2);
    rollback(2, 1);
    promote(1L, 3);
    assertThat(RollbackPlan.defaultTarget(trail)).hasValue(1);
  }

  @Test
  void rollingBackFurtherThanOneStepPopsEverythingAbove() {
    promote(null, 1);
    promote(1L, 2);
    promote(2L, 3);
    promote(3L, 4);
    rollback(4, 2);
    assertThat(RollbackPlan.defaultTarget(trail)).hasValue(1);
  }

  @Test
  void formerOccupantsAreEveryVersionTheSlotHeld() {
    promote(null, 1);
    promote(1L, 2);
    rollback(2, 1);
    assertThat(RollbackPlan.formerOccupants(trail)).containsExactlyInAnyOrder(1L, 2L);
  }
}
