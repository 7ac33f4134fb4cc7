package io.fraudwatch.models.drift;

import java.util.Arrays;

/**
 * How one variable (a feature or the score) is cut into bins, and how many reference values fell
 * into each.
 *
 * <p>Bins are closed below and open above, as PostgreSQL's {@code width_bucket(x, edges)} counts
 * them: bin 0 holds {@code x < edges[0]}, bin {@code i} holds {@code edges[i-1] <= x < edges[i]},
 * the last bin {@code x >= edges[last]}. So there are {@code edges.length + 1} bins, and values
 * outside the reference range still land in the first or the last bin.
 *
 * <p>{@link #fit} takes the reference's deciles as edges: the value at rank {@code ceil(p * n)} of
 * the sorted values for p = 0.1 .. 0.9. Heavily tied variables (flags, counts, fraud rates that are
 * mostly 0) have equal deciles; equal edges are merged, and edges equal to the minimum are dropped
 * (the bin below the minimum would be empty by construction). Such a variable gets fewer, unequal
 * bins: a flag that is 1 in 30 % of the reference gets two bins of 70 % and 30 %. When no decile
 * lies above the minimum, the next distinct value is the edge; a constant gets the edges {@code c}
 * and the next double above it, so that any other value shows up in a bin of its own.
 */
public record Bins(double[] edges, long[] counts) {

  public static final int DECILES = 10;

  public Bins {
    edges = edges.clone();
    counts = counts.clone();
    if (counts.length != edges.length + 1) {
      throw new IllegalArgumentException(
          edges.length + " edges need " + (edges.length + 1) + " counts, got " + counts.length);
    }
    for (int i = 0; i < edges.length; i++) {
      if (!Double.isFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1])) {
        throw new IllegalArgumentException(
            "edges must be finite and strictly increasing: " + Arrays.toString(edges));
      }
    }
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative count in " + Arrays.toString(counts));
      }
    }
  }

  /** Decile bins of {@code values} (NaN left out), with the values counted into them. */
  public static Bins fit(double[] values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values to fit bins on");
    }
    double min = sorted[0];
    double[] candidates = new double[DECILES - 1];
    int n = 0;
    for (int d = 1; d < DECILES; d++) {
      double q = sorted[Math.max(0, (int) Math.ceil((double) d * sorted.length / DECILES) - 1)];
      if (q > min && (n == 0 || q > candidates[n - 1])) {
        candidates[n++] = q;
      }
    }
    double[] edges;
    if (n > 0) {
      edges = Arrays.copyOf(candidates, n);
    } else {
      double max = sorted[sorted.length - 1];
      edges =
          max > min ? new double[] {nextAbove(sorted, min)} : new double[] {min, Math.nextUp(min)};
    }
    Bins empty = new Bins(edges, new long[edges.length + 1]);
    return empty.withCounts(empty.count(sorted));
  }

  private static double nextAbove(double[] sorted, double value) {
    int i = Arrays.binarySearch(sorted, Math.nextUp(value));
    return sorted[i >= 0 ? firstOf(sorted, i) : -i - 1];
  }

  private static int firstOf(double[] sorted, int i) {
    while (i > 0 && sorted[i - 1] == sorted[i]) {
      i--;
    }
    return i;
  }

  /** The bin {@code x} falls in; NaN gives -1 (not counted). */
  public int bin(double x) {
    if (Double.isNaN(x)) {
      return -1;
    }
    // number of edges <= x
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** How many of {@code values} fall in each bin (NaN left out). */
  public long[] count(double[] values) {
    long[] out = new long[size()];
    for (double v : values) {
      int b = bin(v);
      if (b >= 0) {
        out[b]++;
      }
    }
    return out;
  }

  /** The same edges with other counts. */
  public Bins withCounts(long[] newCounts) {
    return new Bins(edges, newCounts);
  }

  public int size() {
    return edges.length + 1;
  }

  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bins b && Arrays.equals(edges, b.edges) && Arrays.equals(counts, b.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Bins" + Arrays.toString(edges) + " counts " + Arrays.toString(counts);
  }
}
