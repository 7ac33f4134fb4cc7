package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardisationTest {

  private static final List<double[]> ROWS =
      List.of(new double[] {1, 5, 10}, new double[] {2, 5, 20}, new double[] {3, 5, 60});

  @Test
  void fitsMeansAndPopulationStds() {
    Standardisation s = Standardisation.fit(ROWS);

    assertThat(s.size()).isEqualTo(3);
    assertThat(s.means()).containsExactly(new double[] {2, 5, 30}, within(1e-12));
    // population variance of {1,2,3} is 2/3; of {10,20,60} is (400 + 100 + 900) / 3
    assertThat(s.stds())
        .containsExactly(
            new double[] {Math.sqrt(2.0 / 3), 1, Math.sqrt(1400.0 / 3)}, within(1e-12));
  }

  @Test
  void aConstantFeatureStandardisesToZero() {
    Standardisation s = Standardisation.fit(ROWS);

    assertThat(s.apply(new double[] {2, 5, 30}))
        .containsExactly(new double[] {0, 0, 0}, within(1e-12));
    assertThat(s.apply(new double[] {3, 7, 30})[1]).isEqualTo(2.0);
  }

  @Test
  void modelInputAppendsTheBias() {
    Standardisation s = new Standardisation(new double[] {1, 2}, new double[] {2, 4});

    assertThat(s.modelInput(new double[] {3, 0})).containsExactly(1.0, -0.5, 1.0);
    assertThat(s.apply(new double[] {3, 0})).containsExactly(1.0, -0.5);
  }

  @Test
  void exposesCopiesOnly() {
    double[] means = {1, 2};
    Standardisation s = new Standardisation(means, new double[] {1, 1});

    means[0] = 99;
    s.means()[1] = 99;
    s.stds()[0] = 99;

    assertThat(s.means()).containsExactly(1, 2);
    assertThat(s.stds()).containsExactly(1, 1);
  }

  @Test
  void equalByValueAndSerialisable() throws Exception {
    Standardisation s = Standardisation.fit(ROWS);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    Object copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = in.readObject();
    }

    assertThat(copy).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(new Standardisation(new double[] {1}, new double[] {2}))
        .isNotEqualTo(new Standardisation(new double[] {1}, new double[] {3}));
  }

  @Test
  void reexpressedWeightsScoreTheSameOnTheTargetStandardisation() {
    Standardisation source = new Standardisation(new double[] {10, -2}, new double[] {4, 0.5});
    Standardisation target = new Standardisation(new double[] {7, 1}, new double[] {2, 3});
    double[] weights = {0.8, -1.5, -3.0};

    double[] moved = source.reexpress(weights, target);

    for (double[] raw :
        List.of(new double[] {0, 0}, new double[] {10, -2}, new double[] {123.4, -7.5})) {
      assertThat(dot(moved, target.modelInput(raw)))
          .isCloseTo(dot(weights, source.modelInput(raw)), within(1e-9));
    }
    assertThat(source.reexpress(weights, source)).containsExactly(weights);
    assertThatThrownBy(() -> source.reexpress(new double[] {1, 2}, target))
        .hasMessageContaining("expected 3 weights");
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Standardisation.fit(List.of())).hasMessageContaining("no rows");
    assertThatThrownBy(() -> Standardisation.fit(List.of(new double[] {1, 2}, new double[] {1})))
        .hasMessageContaining("row 1 has 1 features, earlier rows 2");
    assertThatThrownBy(() -> Standardisation.fit(List.of(new double[] {1, Double.NaN})))
        .hasMessageContaining("row 0, feature 1 is not finite");
    assertThatThrownBy(() -> new Standardisation(new double[] {1}, new double[] {0}))
        .hasMessageContaining("feature 0");
    assertThatThrownBy(() -> new Standardisation(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("2 means and 1 stds");
    Standardisation s = new Standardisation(new double[] {1, 2}, new double[] {1, 1});
    assertThatThrownBy(() -> s.modelInput(new double[] {1}))
        .hasMessageContaining("expected 2 features, got 1");
  }
}
