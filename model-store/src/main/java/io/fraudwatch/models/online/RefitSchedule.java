package io.fraudwatch.models.online;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When the learner restarts from a batch fit, and on what: it keeps the examples it learned whose
 * transactions lie within {@code window} of event time before the newest one (at most {@code
 * maxLabels}, the newest kept), and hands them over to be fitted anew at the first learned step
 * whose label watermark enters a new period of {@code every} (epoch-aligned, like {@link
 * EventTimeSteps}: with 12 h steps and a 12 h period, after every step). SGD from the old weights
 * takes weeks of labels to reach the optimum of a new fraud pattern (docs/learning.md); a fit on
 * the recent labels is there at once, and SGD continues from it. Label watermarks and event times
 * only: the same data gives the same refits at every run.
 */
public final class RefitSchedule {

  private final Duration every;
  private final Duration window;
  private final int maxLabels;
  private final int minLabels;
  private final int minFrauds;
  private long labelsSinceRefit;
  private long fraudsSinceRefit;
  private final ArrayDeque<LabelledExample> recent = new ArrayDeque<>();
  private Instant newest;
  private OptionalLong lastPeriod = OptionalLong.empty();

  /**
   * @param every the period of label watermark between two refits; zero turns refits off
   * @param window event time before the newest learned transaction whose examples a refit uses
   * @param maxLabels most examples kept (the newest), bounding the driver's memory
   * @param minLabels labels the learner must have learned since the last refit (or its start)
   *     before the next: a refit empties the prequential window, and the versions after it need the
   *     promotion's minimum of labels there to be judged at all
   * @param minFrauds frauds likewise; and fewer frauds among the kept examples and no refit is due
   *     (no fit to trust). Nor is one due before the kept examples span half the window of event
   *     time: a learner that starts afresh (no labels learned before it in the store) waits for
   *     that much, not to restart from a fit on a day of labels
   */
  public RefitSchedule(
      Duration every, Duration window, int maxLabels, int minLabels, int minFrauds) {
    this.every = Objects.requireNonNull(every, "refit interval");
    this.window = Objects.requireNonNull(window, "refit window");
    if (every.isNegative()
        || !every.isZero() && every.toMillis() < 1
        || window.isNegative()
        || window.isZero() && !every.isZero()) {
      throw new IllegalArgumentException(
          "refits need an interval of 0 or at least 1 ms and a positive window, got every "
              + every
              + ", "
              + window);
    }
    if (maxLabels < 1 || minLabels < 1 || minFrauds < 1) {
      throw new IllegalArgumentException(
          "refits need at least 1 label and 1 fraud, got "
              + maxLabels
              + ", "
              + minLabels
              + ", "
              + minFrauds);
    }
    this.maxLabels = maxLabels;
    this.minLabels = minLabels;
    this.minFrauds = minFrauds;
  }

  public boolean enabled() {
    return !every.isZero();
  }

  /**
   * Where a restarted learner takes up the schedule: the examples it had learned within the window
   * (read back from the store, oldest first) are kept again, so that the first refit after a
   * restart fits on a whole window as an uninterrupted learner would, never on the few labels
   * learned since; and the period of {@code resumeAfter}, the label watermark it had reached,
   * counts as refitted. The labels and frauds since the last refit start from zero: a refit waits
   * for the minimum of new labels, as after any refit, since the prequential window starts empty
   * too.
   */
  public void resume(List<LabelledExample> learned, Instant resumeAfter) {
    if (!enabled()) {
      return;
    }
    learned.forEach(this::keep);
    trim();
    lastPeriod = OptionalLong.of(period(resumeAfter));
  }

  /** Examples kept for the next refit (oldest first). */
  public int kept() {
    return recent.size();
  }

  /**
   * Records a learned step or batch whose labels bring the learner to {@code labelWatermark}.
   *
   * @return the recent examples, oldest first, when a refit is due; it is then counted as done
   */
  public Optional<List<LabelledExample>> learned(
      List<LabelledExample> examples, Instant labelWatermark) {
    if (!enabled()) {
      return Optional.empty();
    }
    for (LabelledExample e : examples) {
      keep(e);
      labelsSinceRefit++;
      fraudsSinceRefit += e.fraud() ? 1 : 0;
    }
    trim();
    if (labelWatermark == null) {
      return Optional.empty();
    }
    long period = period(labelWatermark);
    if (lastPeriod.isEmpty()) {
      lastPeriod = OptionalLong.of(period);
      return Optional.empty();
    }
    if (period <= lastPeriod.getAsLong()
        || labelsSinceRefit < minLabels
        || fraudsSinceRefit < minFrauds) {
      return Optional.empty();
    }
    long frauds = recent.stream().filter(LabelledExample::fraud).count();
    if (frauds < minFrauds
        || frauds == recent.size()
        || recent.peekFirst().eventTime().isAfter(newest.minus(window.dividedBy(2)))) {
      return Optional.empty();
    }
    lastPeriod = OptionalLong.of(period);
    labelsSinceRefit = 0;
    fraudsSinceRefit = 0;
    return Optional.of(List.copyOf(recent));
  }

  private void keep(LabelledExample e) {
    if (newest != null && e.eventTime().isBefore(newest.minus(window))) {
      // a label learned late, of a transaction already out of the window
      return;
    }
    recent.addLast(e);
    if (newest == null || e.eventTime().isAfter(newest)) {
      newest = e.eventTime();
    }
  }

  private void trim() {
    while (!recent.isEmpty()
        && (recent.size() > maxLabels
            || recent.peekFirst().eventTime().isBefore(newest.minus(window)))) {
      recent.removeFirst();
    }
  }

  private long period(Instant labelWatermark) {
    return Math.floorDiv(labelWatermark.toEpochMilli(), every.toMillis());
  }
}
