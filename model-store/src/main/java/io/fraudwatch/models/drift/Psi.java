package io.fraudwatch.models.drift;

import java.util.OptionalDouble;

/**
 * The population stability index of an actual distribution against an expected (reference) one over
 * the same bins: {@code PSI = sum over bins of (a_i - e_i) * ln(a_i / e_i)}, with {@code a_i} and
 * {@code e_i} the shares of the actual and expected counts in bin {@code i}. It is the symmetrised
 * Kullback-Leibler divergence of the two binned distributions: 0 when they are equal, growing as
 * they part.
 *
 * <p>An empty bin on either side would make a term infinite, so both sides are smoothed by adding
 * half an observation to every bin (the Jeffreys prior): {@code share_i = (count_i + 0.5) / (total
 * + 0.5 * bins)}. With a large reference this changes nothing that counts, and it keeps a single
 * value outside the reference range, in an hour of a few hundred transactions, from reading as a
 * catastrophe.
 *
 * <p>Rule of thumb for reading it (credit scoring, where the index comes from): below 0.1 no
 * significant shift, 0.1 to 0.2 a moderate one worth watching, above 0.2 a significant one.
 */
public final class Psi {
  static final double SMOOTHING = 0.5;

  private Psi() {}

  /** Empty when either side has no observations. */
  public static OptionalDouble of(long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException(
          expected.length + " expected bins but " + actual.length + " actual");
    }
    double e = total(expected);
    double a = total(actual);
    if (e == 0 || a == 0) {
      return OptionalDouble.empty();
    }
    int bins = expected.length;
    double psi = 0;
    for (int i = 0; i < bins; i++) {
      double ei = (expected[i] + SMOOTHING) / (e + SMOOTHING * bins);
      double ai = (actual[i] + SMOOTHING) / (a + SMOOTHING * bins);
      psi += (ai - ei) * Math.log(ai / ei);
    }
    return OptionalDouble.of(psi);
  }

  private static double total(long[] counts) {
    double t = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative count " + c);
      }
      t += c;
    }
    return t;
  }
}
