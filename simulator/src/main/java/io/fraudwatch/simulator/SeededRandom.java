package io.fraudwatch.simulator;

import java.util.BitSet;

/**
 * SplitMix64 generator with its own distributions built on {@link StrictMath}, so one seed gives
 * the same numbers on every JVM version and platform ({@code java.util.random} algorithms and
 * {@code Math} intrinsics are not pinned down that tightly).
 *
 * <p>Streams are derived from a key (seed, purpose, a, b) rather than drawn from one shared
 * sequence: any customer-day, or any day's fraud decisions, can then be generated on its own and in
 * any order, which is what makes day-by-day streaming equal to whole-period generation.
 */
final class SeededRandom {

  /** What a derived stream is used for; the code is part of the key, so it must never change. */
  enum Purpose {
    CUSTOMER_PROFILE(1),
    TERMINAL_PROFILE(2),
    CUSTOMER_DAY_TRANSACTIONS(3),
    COMPROMISED_TERMINALS(4),
    COMPROMISED_CUSTOMERS(5),
    COMPROMISED_CUSTOMER_FRAUDS(6),
    CARD_TESTING_CARDS(7),
    CARD_TESTING_BURST(8),
    LABEL_NOISE(9);

    private final long code;

    Purpose(long code) {
      this.code = code;
    }
  }

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double TWO_PI = 2 * StrictMath.PI;

  private long state;

  private SeededRandom(long state) {
    this.state = state;
  }

  static SeededRandom forKey(long seed, Purpose purpose, long a, long b) {
    long h = mix64(seed + purpose.code * GOLDEN_GAMMA);
    h = mix64(h + (a + 1) * GOLDEN_GAMMA);
    h = mix64(h + (b + 1) * GOLDEN_GAMMA);
    return new SeededRandom(h);
  }

  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [low, high). */
  double nextUniform(double low, double high) {
    return low + (high - low) * nextDouble();
  }

  /**
   * Uniform in [0, bound), without modulo bias (same rejection scheme as {@code java.util.Random}).
   */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    int r = next31Bits();
    int m = bound - 1;
    if ((bound & m) == 0) {
      return (int) ((bound * (long) r) >> 31);
    }
    for (int u = r; u - (r = u % bound) + m < 0; u = next31Bits()) {
      // rejected: u fell into the incomplete last block of size bound
    }
    return r;
  }

  /**
   * Standard normal draw (Box-Muller, one output per call: no cached spare, so no hidden state).
   */
  double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log(u1) is finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
  }

  /**
   * Poisson draw by Knuth's product-of-uniforms method: exact, and cheap for the small means used
   * here (at most 4 transactions per day; the loop runs mean + 1 times on average).
   */
  int nextPoisson(double mean) {
    if (!(mean >= 0) || mean > 700) {
      throw new IllegalArgumentException("Poisson mean must be in [0, 700], got " + mean);
    }
    double limit = StrictMath.exp(-mean);
    int count = 0;
    double product = nextDouble();
    while (product > limit) {
      count++;
      product *= nextDouble();
    }
    return count;
  }

  /**
   * Chooses {@code k} distinct values from [0, n) (Floyd's algorithm: exactly k draws), returned
   * ascending.
   */
  int[] sampleWithoutReplacement(int n, int k) {
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("cannot choose " + k + " distinct values out of " + n);
    }
    BitSet chosen = new BitSet(n);
    for (int j = n - k; j < n; j++) {
      int t = nextInt(j + 1);
      chosen.set(chosen.get(t) ? j : t);
    }
    return chosen.stream().toArray();
  }

  private int next31Bits() {
    return (int) (nextLong() >>> 33);
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
