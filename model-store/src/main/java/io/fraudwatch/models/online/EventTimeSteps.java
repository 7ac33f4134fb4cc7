package io.fraudwatch.models.online;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts the learner's labels into steps of event time: step k holds the examples available in
 * ((k-1)·step, k·step] (epoch-aligned), and a step is released only once the stream has reached its
 * end. What one SGD run learns then depends on the data only, not on how many labels a micro-batch
 * happened to bring (which depends on the machine's speed).
 */
public final class EventTimeSteps {

  private final long stepMillis;
  private final Duration labelDelay;

  public EventTimeSteps(Duration step, Duration labelDelay) {
    Objects.requireNonNull(step, "step");
    if (step.isNegative() || step.isZero() || step.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "an event-time step must be a positive whole number of milliseconds, got " + step);
    }
    this.stepMillis = step.toMillis();
    this.labelDelay = Objects.requireNonNull(labelDelay, "label delay");
  }

  /** The end of the last step the stream has completed: what may be released at this watermark. */
  public Instant releasableUpTo(Instant streamWatermark) {
    return Instant.ofEpochMilli(
        Math.floorDiv(streamWatermark.toEpochMilli(), stepMillis) * stepMillis);
  }

  /**
   * Splits examples in available-at order (as {@link LabelDelayGate#release} gives them) into their
   * steps, in order; steps without examples are left out.
   */
  public List<List<LabelledExample>> split(List<LabelledExample> released) {
    List<List<LabelledExample>> steps = new ArrayList<>();
    List<LabelledExample> current = new ArrayList<>();
    long currentStep = Long.MIN_VALUE;
    for (LabelledExample e : released) {
      long k = stepOf(e);
      if (k < currentStep) {
        throw new IllegalArgumentException(
            "examples out of available-at order at " + e.transactionId());
      }
      if (k != currentStep && !current.isEmpty()) {
        steps.add(current);
        current = new ArrayList<>();
      }
      currentStep = k;
      current.add(e);
    }
    if (!current.isEmpty()) {
      steps.add(current);
    }
    return steps;
  }

  /** The end of the step {@code availableAt} falls in. */
  public Instant endOf(Instant availableAt) {
    return Instant.ofEpochMilli(Math.multiplyExact(stepOf(availableAt), stepMillis));
  }

  /** k such that (k-1)·step < available-at <= k·step. */
  private long stepOf(LabelledExample e) {
    return stepOf(e.availableAt(labelDelay));
  }

  private long stepOf(Instant availableAt) {
    // the available-at is whole microseconds; a step boundary is whole milliseconds
    long micros =
        Math.addExact(
            Math.multiplyExact(availableAt.getEpochSecond(), 1_000_000L),
            availableAt.getNano() / 1_000);
    return -Math.floorDiv(-micros, stepMillis * 1_000);
  }
}
