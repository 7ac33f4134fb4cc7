package io.fraudwatch.scoring.metrics;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Scores counted into fixed buckets where they are computed (an executor's partition task), so that
 * a batch brings back a few dozen numbers instead of every score; the driver adds the tallies up
 * into the score histogram. Not thread-safe: one per task.
 */
public final class ScoreTally implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Upper bounds (inclusive) of the buckets, as Prometheus's {@code le}; most transactions score
   * near 0.
   */
  static final double[] UPPER_BOUNDS = {
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99,
    1.0
  };

  /** Per bucket, not cumulative; the last counts anything above 1 (never, for a probability). */
  private final long[] counts = new long[UPPER_BOUNDS.length + 1];

  private double sum;

  public void add(double score) {
    int i = Arrays.binarySearch(UPPER_BOUNDS, score);
    counts[i >= 0 ? i : -i - 1]++;
    sum += score;
  }

  public void addAll(ScoreTally other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    sum += other.sum;
  }

  public long count() {
    return Arrays.stream(counts).sum();
  }

  public double sum() {
    return sum;
  }

  /** Per-bucket counts, the last one for +Inf. */
  long[] counts() {
    return counts.clone();
  }
}
