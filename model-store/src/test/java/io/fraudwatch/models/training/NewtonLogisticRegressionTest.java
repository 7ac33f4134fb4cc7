package io.fraudwatch.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NewtonLogisticRegressionTest {

  private static final double[] TRUE_WEIGHTS = {1.5, -2.0, -3.0};

  private record Data(double[][] x, boolean[] fraud) {}

  /** Rows drawn from a logistic model with {@link #TRUE_WEIGHTS} (intercept last). */
  private static Data draw(int n, long seed) {
    Random random = new Random(seed);
    double[][] x = new double[n][2];
    boolean[] fraud = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = random.nextGaussian();
      x[i][1] = random.nextGaussian();
      double z = TRUE_WEIGHTS[0] * x[i][0] + TRUE_WEIGHTS[1] * x[i][1] + TRUE_WEIGHTS[2];
      fraud[i] = random.nextDouble() < 1 / (1 + Math.exp(-z));
    }
    return new Data(x, fraud);
  }

  /**
   * The objective's gradient: weighted mean of (p - y) x, plus regParam w (not on the intercept).
   */
  private static double[] gradient(Data d, double[] w, double fraudWeight, double regParam) {
    double[] g = new double[w.length];
    double total = 0;
    for (int i = 0; i < d.x().length; i++) {
      double weight = d.fraud()[i] ? fraudWeight : 1;
      total += weight;
      double z = w[0] * d.x()[i][0] + w[1] * d.x()[i][1] + w[2];
      double r = weight * (1 / (1 + Math.exp(-z)) - (d.fraud()[i] ? 1 : 0));
      g[0] += r * d.x()[i][0];
      g[1] += r * d.x()[i][1];
      g[2] += r;
    }
    for (int k = 0; k < g.length; k++) {
      g[k] = g[k] / total + (k < g.length - 1 ? regParam * w[k] : 0);
    }
    return g;
  }

  @Test
  void recoversTheWeightsOfTheModelThatDrewTheData() {
    Data d = draw(50_000, 7);

    double[] w = new NewtonLogisticRegression(0).fit(d.x(), d.fraud(), 1);

    assertThat(w).containsExactly(TRUE_WEIGHTS, within(0.1));
  }

  @Test
  void reachesTheOptimumOfTheRegularisedWeightedObjective() {
    Data d = draw(5_000, 11);

    double[] w = new NewtonLogisticRegression(0.01).fit(d.x(), d.fraud(), 4);

    assertThat(gradient(d, w, 4, 0.01)).containsExactly(new double[] {0, 0, 0}, within(1e-9));
    // the penalty pulls the weights towards 0, not the intercept
    double[] unpenalised = new NewtonLogisticRegression(0).fit(d.x(), d.fraud(), 4);
    assertThat(Math.abs(w[0])).isLessThan(Math.abs(unpenalised[0]));
  }

  @Test
  void aFraudWeightCountsLikeRepeatedFrauds() {
    Data d = draw(2_000, 3);
    int frauds = 0;
    for (boolean f : d.fraud()) {
      frauds += f ? 1 : 0;
    }
    double[][] x = new double[d.x().length + 2 * frauds][];
    boolean[] fraud = new boolean[x.length];
    int j = 0;
    for (int i = 0; i < d.x().length; i++) {
      for (int copy = 0; copy < (d.fraud()[i] ? 3 : 1); copy++) {
        x[j] = d.x()[i];
        fraud[j++] = d.fraud()[i];
      }
    }

    assertThat(new NewtonLogisticRegression(1e-4).fit(d.x(), d.fraud(), 3))
        .containsExactly(new NewtonLogisticRegression(1e-4).fit(x, fraud, 1), within(1e-8));
  }

  @Test
  void separableDataGiveFiniteWeightsWhenRegularised() {
    double[][] x = {{-2}, {-1}, {1}, {2}};
    boolean[] fraud = {false, false, true, true};

    double[] w = new NewtonLogisticRegression(1e-4).fit(x, fraud, 1);

    assertThat(w[0]).isPositive().isFinite();
    assertThat(w[1]).isFinite();
  }

  @Test
  void refusesEmptyOrMismatchedInput() {
    NewtonLogisticRegression fitter = new NewtonLogisticRegression(0);
    assertThatThrownBy(() -> fitter.fit(new double[0][], new boolean[0], 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fitter.fit(new double[][] {{1}}, new boolean[2], 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fitter.fit(new double[][] {{1}}, new boolean[1], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NewtonLogisticRegression(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
