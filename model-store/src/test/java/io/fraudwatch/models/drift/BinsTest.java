package io.fraudwatch.models.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BinsTest {

  @Test
  void continuousValuesGetTenBinsOfATenthEach() {
    double[] values = IntStream.rangeClosed(1, 1000).asDoubleStream().toArray();

    Bins bins = Bins.fit(values);

    assertThat(bins.edges()).containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900);
    // closed below: 100 is in the second bin
    assertThat(bins.counts()).containsExactly(99, 100, 100, 100, 100, 100, 100, 100, 100, 101);
    assertThat(bins.total()).isEqualTo(1000);
  }

  @Test
  void aFlagGetsOneBinPerValue() {
    double[] flag = new double[100];
    for (int i = 70; i < 100; i++) {
      flag[i] = 1;
    }

    Bins bins = Bins.fit(flag);

    assertThat(bins.edges()).containsExactly(1);
    assertThat(bins.counts()).containsExactly(70, 30);
  }

  @Test
  void aRareValueBelowEveryDecileStillGetsItsOwnBin() {
    double[] values = new double[100];
    values[99] = 3; // 99 zeros and one 3: every decile is 0

    Bins bins = Bins.fit(values);

    assertThat(bins.edges()).containsExactly(3);
    assertThat(bins.counts()).containsExactly(99, 1);
  }

  @Test
  void aConstantGetsBinsBelowAndAboveIt() {
    Bins bins = Bins.fit(new double[] {0, 0, 0});

    assertThat(bins.counts()).containsExactly(0, 3, 0);
    assertThat(bins.bin(-1)).isZero();
    assertThat(bins.bin(0)).isEqualTo(1);
    assertThat(bins.bin(1e-300)).isEqualTo(2);
  }

  @Test
  void valuesOutsideTheReferenceLandInTheOuterBinsAndNaNNowhere() {
    Bins bins = Bins.fit(IntStream.rangeClosed(1, 1000).asDoubleStream().toArray());

    assertThat(bins.bin(-1e9)).isZero();
    assertThat(bins.bin(1e9)).isEqualTo(9);
    assertThat(bins.bin(Double.NaN)).isEqualTo(-1);
    assertThat(bins.count(new double[] {Double.NaN, 5, 950}))
        .containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  }

  @Test
  void refusesBadShapes() {
    assertThatThrownBy(() -> Bins.fit(new double[] {Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Bins(new double[] {2, 1}, new long[3]))
        .hasMessageContaining("increasing");
    assertThatThrownBy(() -> new Bins(new double[] {1}, new long[3]))
        .hasMessageContaining("counts");
  }
}
