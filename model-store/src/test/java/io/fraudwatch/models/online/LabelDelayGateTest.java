package io.fraudwatch.models.online;

import static io.fraudwatch.models.online.Examples.days;
import static io.fraudwatch.models.online.Examples.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LabelDelayGateTest {

  private static final Duration DELAY = Duration.ofDays(7);

  @Test
  void anEarlyLabelWaitsUntilTheDelayHasPassedInEventTime() {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 100);
    LabelledExample early =
        example("tx-1", days(0), days(1), true); // known a day after, delay 7 days

    assertThat(gate.offer(early)).isEqualTo(LabelDelayGate.Offer.HELD);

    assertThat(gate.release(days(1))).isEmpty();
    assertThat(gate.release(days(7).minusMillis(1))).isEmpty();
    assertThat(gate.release(days(7))).containsExactly(early);
    assertThat(gate.heldCount()).isZero();
  }

  @Test
  void aLabelKnownAfterTheDelayWaitsUntilItIsKnown() {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 100);
    LabelledExample late = example("tx-1", days(0), days(9), false);
    gate.offer(late);

    assertThat(gate.release(days(8))).isEmpty();
    assertThat(gate.release(days(9))).containsExactly(late);
  }

  @Test
  void releasesInAvailableAtThenTransactionIdOrderAndTracksTheLearnedWatermark() {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 100);
    LabelledExample b = example("b", days(1), days(2), false); // available day 8
    LabelledExample a = example("a", days(1), days(3), true); // available day 8
    LabelledExample c = example("c", days(0), days(7.5), false); // available day 7.5
    LabelledExample d = example("d", days(2), days(3), false); // available day 9
    gate.offer(b);
    gate.offer(d);
    gate.offer(a);
    gate.offer(c);

    assertThat(gate.release(days(8))).containsExactly(c, a, b);
    assertThat(gate.learnedWatermark()).contains(days(8));
    assertThat(gate.heldCount()).isEqualTo(1);
  }

  @Test
  void afterARestartFromTheStoredWatermarkNothingLearnedIsLearnedAgain() {
    LabelDelayGate before = LabelDelayGate.fresh(DELAY, 100);
    LabelledExample learned = example("learned", days(0), days(2), true); // available day 7
    LabelledExample sameTime = example("same-time", days(0), days(1), false); // available day 7
    LabelledExample pending = example("pending", days(1), days(2), false); // available day 8
    before.offer(learned);
    before.offer(sameTime);
    before.offer(pending);
    assertThat(before.release(days(7.5))).containsExactly(learned, sameTime);
    Instant stored = before.learnedWatermark().orElseThrow();

    // the job restarts and re-reads all three labels
    LabelDelayGate after = LabelDelayGate.resumingAfter(DELAY, 100, stored);

    assertThat(after.offer(learned)).isEqualTo(LabelDelayGate.Offer.LATE);
    assertThat(after.offer(sameTime)).isEqualTo(LabelDelayGate.Offer.LATE);
    assertThat(after.offer(pending)).isEqualTo(LabelDelayGate.Offer.HELD);
    assertThat(after.release(days(30))).containsExactly(pending);
  }

  @Test
  void aLabelKnownEarlyButStillInItsDelayIsNotPassedByTheWatermark() {
    // known on day 1, available on day 7; a label of an older transaction, known on day 2, is
    // released first
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 100);
    LabelledExample knownEarly = example("known-early", days(0), days(1), true);
    LabelledExample olderTransaction = example("older", days(-10), days(2), false);
    gate.offer(knownEarly);
    gate.offer(olderTransaction);
    assertThat(gate.release(days(3))).containsExactly(olderTransaction);

    LabelDelayGate restarted =
        LabelDelayGate.resumingAfter(DELAY, 100, gate.learnedWatermark().orElseThrow());

    assertThat(restarted.offer(knownEarly)).isEqualTo(LabelDelayGate.Offer.HELD);
    assertThat(restarted.release(days(7))).containsExactly(knownEarly);
  }

  @Test
  void aLabelArrivingAfterTheLearnerPassedItIsReportedLate() {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 100);
    gate.offer(example("on-time", days(1), days(2), false));
    gate.release(days(8));

    assertThat(gate.offer(example("too-late", days(0), days(3), true)))
        .isEqualTo(LabelDelayGate.Offer.LATE);
    assertThat(gate.heldCount()).isZero();
  }

  @Test
  void aCorrectedLabelReplacesTheHeldOneAndAnOlderDuplicateIsIgnored() {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 100);
    LabelledExample first = example("tx", days(0), days(1), false);
    LabelledExample correction = example("tx", days(0), days(2), true);
    gate.offer(first);

    assertThat(gate.offer(correction)).isEqualTo(LabelDelayGate.Offer.REPLACED);
    assertThat(gate.offer(first)).isEqualTo(LabelDelayGate.Offer.IGNORED_OLDER_DUPLICATE);
    assertThat(gate.release(days(7))).containsExactly(correction);
  }

  @Test
  void refusesToHoldMoreThanItsCapacity() {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 2);
    gate.offer(example("a", days(0), days(1), false));
    gate.offer(example("b", days(0), days(1), false));

    assertThatThrownBy(() -> gate.offer(example("c", days(0), days(1), false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("full: 2 examples");
  }

  @Test
  void survivesJavaSerialisationWithItsHeldExamplesAndWatermark() throws Exception {
    LabelDelayGate gate = LabelDelayGate.fresh(DELAY, 10);
    gate.offer(example("released", days(0), days(1), false));
    LabelledExample held = example("held", days(5), days(6), true);
    gate.offer(held);
    gate.release(days(7));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(gate);
    }
    LabelDelayGate copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LabelDelayGate) in.readObject();
    }

    assertThat(copy.learnedWatermark()).contains(days(7));
    assertThat(copy.release(days(12))).containsExactly(held);
  }
}
