package io.fraudwatch.features;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-feature standardisation, (x - mean) / std, with the statistics a model version carries. The
 * standard deviation is the population one (as scikit-learn's StandardScaler); a feature that is
 * constant in the fitted rows gets std 1, so it maps to 0 instead of dividing by zero.
 */
public final class Standardisation implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** The constant input appended after the standardised features: the model learns no intercept. */
  public static final double BIAS = 1.0;

  private final double[] means;
  private final double[] stds;

  /** Statistics as stored, e.g. with a model version. */
  public Standardisation(double[] means, double[] stds) {
    if (means.length == 0 || means.length != stds.length) {
      throw new IllegalArgumentException(
          "need as many means as stds, at least one; got "
              + means.length
              + " means and "
              + stds.length
              + " stds");
    }
    for (int j = 0; j < means.length; j++) {
      if (!Double.isFinite(means[j]) || !Double.isFinite(stds[j]) || stds[j] <= 0) {
        throw new IllegalArgumentException(
            "feature "
                + j
                + ": mean must be finite and std finite and positive, got mean "
                + means[j]
                + ", std "
                + stds[j]);
      }
    }
    this.means = means.clone();
    this.stds = stds.clone();
  }

  /**
   * Fits means and population standard deviations (Welford's single pass) over rows of equal
   * length.
   */
  public static Standardisation fit(Iterable<double[]> rows) {
    double[] mean = null;
    double[] squares = null;
    long n = 0;
    for (double[] row : rows) {
      if (mean == null) {
        mean = new double[row.length];
        squares = new double[row.length];
      } else if (row.length != mean.length) {
        throw new IllegalArgumentException(
            "row " + n + " has " + row.length + " features, earlier rows " + mean.length);
      }
      n++;
      for (int j = 0; j < row.length; j++) {
        if (!Double.isFinite(row[j])) {
          throw new IllegalArgumentException(
              "row " + (n - 1) + ", feature " + j + " is not finite: " + row[j]);
        }
        double delta = row[j] - mean[j];
        mean[j] += delta / n;
        squares[j] += delta * (row[j] - mean[j]);
      }
    }
    if (mean == null) {
      throw new IllegalArgumentException("cannot fit a standardisation on no rows");
    }
    double[] std = new double[mean.length];
    for (int j = 0; j < std.length; j++) {
      double sd = Math.sqrt(squares[j] / n);
      std[j] = sd > 0 ? sd : 1.0;
    }
    return new Standardisation(mean, std);
  }

  /** Number of features (without the bias term). */
  public int size() {
    return means.length;
  }

  public double[] means() {
    return means.clone();
  }

  public double[] stds() {
    return stds.clone();
  }

  /** The standardised copy of a raw feature vector. */
  public double[] apply(double[] raw) {
    double[] out = new double[size()];
    standardiseInto(raw, out);
    return out;
  }

  /** The model's input: the standardised features followed by {@link #BIAS}. */
  public double[] modelInput(double[] raw) {
    double[] out = new double[size() + 1];
    standardiseInto(raw, out);
    out[size()] = BIAS;
    return out;
  }

  /**
   * The weights that score exactly as {@code weights} do on this standardisation, for inputs
   * standardised with {@code target} instead (both {@code [features..., bias]}). The learner keeps
   * one standardisation for its lifetime and takes over versions fitted on another through this.
   */
  public double[] reexpress(double[] weights, Standardisation target) {
    if (weights.length != size() + 1 || target.size() != size()) {
      throw new IllegalArgumentException(
          "expected "
              + (size() + 1)
              + " weights and a target of "
              + size()
              + " features, got "
              + weights.length
              + " weights and "
              + target.size()
              + " features");
    }
    double[] out = new double[weights.length];
    double bias = weights[size()];
    for (int j = 0; j < size(); j++) {
      out[j] = weights[j] * target.stds[j] / stds[j];
      bias += weights[j] * (target.means[j] - means[j]) / stds[j];
    }
    out[size()] = bias;
    return out;
  }

  private void standardiseInto(double[] raw, double[] out) {
    if (raw.length != size()) {
      throw new IllegalArgumentException("expected " + size() + " features, got " + raw.length);
    }
    for (int j = 0; j < raw.length; j++) {
      out[j] = (raw[j] - means[j]) / stds[j];
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardisation other
        && Arrays.equals(means, other.means)
        && Arrays.equals(stds, other.stds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
  }

  @Override
  public String toString() {
    return "Standardisation[means="
        + Arrays.toString(means)
        + ", stds="
        + Arrays.toString(stds)
        + "]";
  }
}
