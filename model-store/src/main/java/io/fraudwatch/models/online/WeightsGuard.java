package io.fraudwatch.models.online;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sanity bounds on learned weights before they may score live traffic: the expected length
 * (features + bias), every weight finite, none larger in magnitude than {@code maxAbs}, and an L2
 * norm at most {@code maxNorm}. SGD on a bad burst of labels or a too-large step size diverges long
 * before the metrics can say so; on standardised inputs sane weights stay within single or low
 * double digits.
 */
public record WeightsGuard(int expectedLength, double maxAbs, double maxNorm)
    implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** The default of {@code learning.max-abs-weight}. */
  public static final long DEFAULT_MAX_ABS = 50;

  /** The default of {@code learning.max-weight-norm}. */
  public static final long DEFAULT_MAX_NORM = 200;

  /** The bounds with their defaults, for weights of any length. */
  public static WeightsGuard defaults(int length) {
    return new WeightsGuard(length, DEFAULT_MAX_ABS, DEFAULT_MAX_NORM);
  }

  public WeightsGuard {
    if (expectedLength < 1) {
      throw new IllegalArgumentException(
          "expected weight count must be >= 1, got " + expectedLength);
    }
    if (!(maxAbs > 0) || !(maxNorm > 0)) {
      throw new IllegalArgumentException(
          "weight bounds must be positive, got max |w| " + maxAbs + ", max norm " + maxNorm);
    }
  }

  /** Every problem with the weights, empty when they pass. */
  public List<String> problems(double[] weights) {
    List<String> problems = new ArrayList<>();
    if (weights.length != expectedLength) {
      problems.add(
          "expected " + expectedLength + " weights (features + bias), got " + weights.length);
    }
    double squares = 0;
    boolean finite = true;
    for (int i = 0; i < weights.length; i++) {
      double w = weights[i];
      if (!Double.isFinite(w)) {
        problems.add("weight " + i + " is " + w);
        finite = false;
      } else if (Math.abs(w) > maxAbs) {
        problems.add(String.format(Locale.ROOT, "weight %d is %.4g, beyond ±%.4g", i, w, maxAbs));
      }
      squares += w * w;
    }
    double norm = Math.sqrt(squares);
    if (finite && norm > maxNorm) {
      problems.add(String.format(Locale.ROOT, "L2 norm %.4g exceeds %.4g", norm, maxNorm));
    }
    return problems;
  }
}
