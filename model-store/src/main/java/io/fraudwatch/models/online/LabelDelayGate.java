package io.fraudwatch.models.online;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Holds labelled examples back until the learner may see them, in event time: an example is
 * released once the stream watermark has reached both its label's known-at and its transaction's
 * event time plus the label delay (its {@linkplain LabelledExample#availableAt available-at}); an
 * early label waits.
 *
 * <p>Examples are released in (available-at, transaction id) order, and a release hands out every
 * held example available by the watermark. So the <em>learned watermark</em>, the largest
 * available-at released, says exactly what has been learned: every example available at or before
 * it. It is what an online version stores ({@code TrainingData.labelWatermark}); a gate restored
 * from it ({@link #resumingAfter}) refuses those examples when the job re-reads them, so no label
 * is learned twice. The same rule turns away an example that first arrives after the learner has
 * moved past its available-at (a label read late): holding it would move the watermark back, so
 * {@link Offer#LATE} leaves it to the learner, which learns it at once if it cannot have learned it
 * before (at or before the watermark, it is not learned again after a restart either).
 *
 * <p>Why available-at rather than known-at: a label known early waits for the delay; ordered by
 * known-at, labels known after it but released before it would push the watermark past it, and
 * after a restart it would be refused although it was never learned.
 *
 * <p>Memory: held are the examples not yet available, i.e. the labels of transactions of the last
 * label delay (in event time) plus labels stamped ahead of the stream; at most {@code capacity}.
 * Offering more throws {@link IllegalStateException}: dropping labels silently would be worse than
 * stopping the job. Re-offering a held transaction replaces its example when the new label is known
 * later (a correction).
 */
public final class LabelDelayGate implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** What became of an offered example. */
  public enum Offer {
    HELD,
    REPLACED,
    IGNORED_OLDER_DUPLICATE,
    LATE
  }

  /** Natural order, not a Comparator: the TreeMap holding keys must stay serialisable. */
  private record Key(Instant availableAt, String transactionId)
      implements Comparable<Key>, Serializable {
    @Override
    public int compareTo(Key o) {
      int byTime = availableAt.compareTo(o.availableAt);
      return byTime != 0 ? byTime : transactionId.compareTo(o.transactionId);
    }
  }

  private final Duration labelDelay;
  private final int capacity;
  private final NavigableMap<Key, LabelledExample> held = new TreeMap<>();
  private final Map<String, Key> keyOf = new HashMap<>();
  private Instant learnedWatermark;

  private LabelDelayGate(Duration labelDelay, int capacity, Instant learnedWatermark) {
    Objects.requireNonNull(labelDelay, "label delay");
    if (labelDelay.isNegative() || labelDelay.getNano() % 1_000 != 0) {
      throw new IllegalArgumentException(
          "label delay must be >= 0 and whole microseconds, got " + labelDelay);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
    }
    this.labelDelay = labelDelay;
    this.capacity = capacity;
    this.learnedWatermark = learnedWatermark;
  }

  /** A gate for a learner that has learned nothing yet. */
  public static LabelDelayGate fresh(Duration labelDelay, int capacity) {
    return new LabelDelayGate(labelDelay, capacity, null);
  }

  /**
   * A gate for a learner resumed from a stored version that learned everything available up to
   * {@code watermark}.
   */
  public static LabelDelayGate resumingAfter(Duration labelDelay, int capacity, Instant watermark) {
    return new LabelDelayGate(
        labelDelay, capacity, Objects.requireNonNull(watermark, "learned watermark"));
  }

  public Offer offer(LabelledExample example) {
    Key key = new Key(example.availableAt(labelDelay), example.transactionId());
    if (learnedWatermark != null && !key.availableAt().isAfter(learnedWatermark)) {
      return Offer.LATE;
    }
    Key previous = keyOf.get(example.transactionId());
    if (previous != null) {
      if (!example.knownAt().isAfter(held.get(previous).knownAt())) {
        return Offer.IGNORED_OLDER_DUPLICATE;
      }
      held.remove(previous);
    } else if (held.size() >= capacity) {
      throw new IllegalStateException(
          "label delay gate is full: "
              + capacity
              + " examples wait for the stream to"
              + " pass their label delay of "
              + labelDelay
              + "; raise the capacity or check the stream watermark");
    }
    held.put(key, example);
    keyOf.put(example.transactionId(), key);
    return previous == null ? Offer.HELD : Offer.REPLACED;
  }

  /**
   * Removes and returns, in (available-at, transaction id) order, every held example available at
   * or before {@code streamWatermark} (the event time the transactions stream has reached).
   */
  public List<LabelledExample> release(Instant streamWatermark) {
    List<LabelledExample> out = new ArrayList<>();
    while (!held.isEmpty() && !held.firstKey().availableAt().isAfter(streamWatermark)) {
      Map.Entry<Key, LabelledExample> first = held.pollFirstEntry();
      keyOf.remove(first.getKey().transactionId());
      learnedWatermark = first.getKey().availableAt();
      out.add(first.getValue());
    }
    return out;
  }

  /** The largest available-at released (or resumed from); empty when nothing has been learned. */
  public Optional<Instant> learnedWatermark() {
    return Optional.ofNullable(learnedWatermark);
  }

  public int heldCount() {
    return held.size();
  }

  public Duration labelDelay() {
    return labelDelay;
  }
}
