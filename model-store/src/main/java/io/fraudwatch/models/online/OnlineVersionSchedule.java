package io.fraudwatch.models.online;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the learner's weights become a new online version: after every {@code everyBatches} learned
 * batches or every {@code every} of wall-clock time, whichever comes first. Either may be disabled
 * (0 batches, zero duration), not both. A cut that fails (e.g. the store is down) leaves the
 * schedule due, so the next batch tries again.
 */
public final class OnlineVersionSchedule {

  private final int everyBatches;
  private final Duration every;
  private final Clock clock;
  private int batchesSinceCut;
  private Instant lastCut;

  public OnlineVersionSchedule(int everyBatches, Duration every, Clock clock) {
    Objects.requireNonNull(every, "version interval");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (everyBatches < 0 || every.isNegative()) {
      throw new IllegalArgumentException(
          "version schedule must not be negative, got every "
              + everyBatches
              + " batches / "
              + every);
    }
    if (everyBatches == 0 && every.isZero()) {
      throw new IllegalArgumentException(
          "version schedule: set a number of batches, a time interval, or both");
    }
    this.everyBatches = everyBatches;
    this.every = every;
    this.lastCut = clock.instant();
  }

  /** Counts a batch the learner trained on. */
  public void batchLearned() {
    batchesSinceCut++;
  }

  /**
   * Whether a version is due now; nothing is due before at least one batch was learned since the
   * last cut.
   */
  public boolean due() {
    if (batchesSinceCut == 0) {
      return false;
    }
    boolean byBatches = everyBatches > 0 && batchesSinceCut >= everyBatches;
    boolean byTime = !every.isZero() && !clock.instant().isBefore(lastCut.plus(every));
    return byBatches || byTime;
  }

  /** Records that a version was stored: both counters start again. */
  public void versionStored() {
    batchesSinceCut = 0;
    lastCut = clock.instant();
  }

  public int batchesSinceCut() {
    return batchesSinceCut;
  }
}
