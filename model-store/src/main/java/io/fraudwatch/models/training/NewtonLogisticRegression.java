package io.fraudwatch.models.training;

/**
 * Fits a logistic regression in plain Java by Newton's method, with a backtracking line search. The
 * objective is MLlib's ({@link SparkLogisticRegression}): the weighted mean log-loss plus {@code
 * regParam / 2} times the squared norm of the weights, the intercept not penalised. A handful of
 * iterations reach the optimum on the few dozen standardised features the model has, so a fit on
 * tens of thousands of rows takes well under a second without Spark: the online learner restarts
 * from such fits on its most recent labels.
 */
public final class NewtonLogisticRegression implements LogisticFitter {

  private static final int MAX_ITERATIONS = 50;

  /** Stops once a Newton step moves the weights by less than this (Euclidean norm). */
  private static final double TOLERANCE = 1e-9;

  private final double regParam;

  public NewtonLogisticRegression(double regParam) {
    if (!(regParam >= 0) || Double.isInfinite(regParam)) {
      throw new IllegalArgumentException("regularisation must be >= 0, got " + regParam);
    }
    this.regParam = regParam;
  }

  @Override
  public double[] fit(double[][] features, boolean[] fraud, double fraudWeight) {
    if (features.length == 0 || features.length != fraud.length) {
      throw new IllegalArgumentException(
          "need one label per row and at least one row, got "
              + features.length
              + " rows and "
              + fraud.length
              + " labels");
    }
    if (!(fraudWeight > 0) || Double.isInfinite(fraudWeight)) {
      throw new IllegalArgumentException("fraud weight must be > 0, got " + fraudWeight);
    }
    int d = features[0].length + 1;
    double totalWeight = 0;
    for (boolean f : fraud) {
      totalWeight += f ? fraudWeight : 1;
    }
    double[] w = new double[d];
    double loss = objective(features, fraud, fraudWeight, totalWeight, w);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double[] gradient = new double[d];
      double[][] hessian = new double[d][d];
      for (int i = 0; i < features.length; i++) {
        double[] x = features[i];
        double p = sigmoid(dot(w, x));
        double weight = (fraud[i] ? fraudWeight : 1) / totalWeight;
        double g = weight * (p - (fraud[i] ? 1 : 0));
        double h = weight * p * (1 - p);
        for (int k = 0; k < d; k++) {
          double xk = k < d - 1 ? x[k] : 1;
          gradient[k] += g * xk;
          for (int l = 0; l <= k; l++) {
            hessian[k][l] += h * xk * (l < d - 1 ? x[l] : 1);
          }
        }
      }
      for (int k = 0; k < d; k++) {
        for (int l = 0; l < k; l++) {
          hessian[l][k] = hessian[k][l];
        }
        if (k < d - 1) {
          gradient[k] += regParam * w[k];
          hessian[k][k] += regParam;
        }
        // keeps the system solvable when a feature is constant and unpenalised weights are flat
        hessian[k][k] += 1e-12;
      }
      double[] step = solve(hessian, gradient);
      double scale = 1;
      double[] next = new double[d];
      double nextLoss;
      do {
        for (int k = 0; k < d; k++) {
          next[k] = w[k] - scale * step[k];
        }
        nextLoss = objective(features, fraud, fraudWeight, totalWeight, next);
        scale /= 2;
      } while (!(nextLoss <= loss) && scale > 1e-10);
      if (!(nextLoss <= loss)) {
        break;
      }
      double moved = 0;
      for (int k = 0; k < d; k++) {
        moved += (next[k] - w[k]) * (next[k] - w[k]);
      }
      w = next.clone();
      loss = nextLoss;
      if (Math.sqrt(moved) < TOLERANCE) {
        break;
      }
    }
    return w;
  }

  private double objective(
      double[][] features, boolean[] fraud, double fraudWeight, double totalWeight, double[] w) {
    double loss = 0;
    for (int i = 0; i < features.length; i++) {
      double z = dot(w, features[i]);
      // log(1 + e^-z) for frauds, log(1 + e^z) for genuine ones, without overflow
      double margin = fraud[i] ? -z : z;
      double l = margin > 0 ? margin + Math.log1p(Math.exp(-margin)) : Math.log1p(Math.exp(margin));
      loss += (fraud[i] ? fraudWeight : 1) * l;
    }
    double penalty = 0;
    for (int k = 0; k < w.length - 1; k++) {
      penalty += w[k] * w[k];
    }
    return loss / totalWeight + regParam / 2 * penalty;
  }

  /** The weights (intercept last) applied to a row without its bias input. */
  private static double dot(double[] w, double[] x) {
    double z = w[w.length - 1];
    for (int k = 0; k < x.length; k++) {
      z += w[k] * x[k];
    }
    return z;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Gaussian elimination with partial pivoting. */
  private static double[] solve(double[][] a, double[] b) {
    int d = b.length;
    double[][] m = new double[d][d + 1];
    for (int i = 0; i < d; i++) {
      System.arraycopy(a[i], 0, m[i], 0, d);
      m[i][d] = b[i];
    }
    for (int c = 0; c < d; c++) {
      int pivot = c;
      for (int r = c + 1; r < d; r++) {
        pivot = Math.abs(m[r][c]) > Math.abs(m[pivot][c]) ? r : pivot;
      }
      double[] swap = m[c];
      m[c] = m[pivot];
      m[pivot] = swap;
      for (int r = c + 1; r < d; r++) {
        double factor = m[r][c] / m[c][c];
        for (int k = c; k <= d; k++) {
          m[r][k] -= factor * m[c][k];
        }
      }
    }
    double[] out = new double[d];
    for (int r = d - 1; r >= 0; r--) {
      double s = m[r][d];
      for (int k = r + 1; k < d; k++) {
        s -= m[r][k] * out[k];
      }
      out[r] = s / m[r][r];
    }
    return out;
  }
}
