package io.fraudwatch.models.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PsiTest {

  @Test
  void equalDistributionsHaveNoDrift() {
    assertThat(Psi.of(new long[] {100, 200, 700}, new long[] {10, 20, 70}).getAsDouble())
        .isCloseTo(0, within(1e-3));
  }

  @Test
  void matchesTheTextbookFormulaOnLargeCounts() {
    long[] expected = {500_000, 500_000};
    long[] actual = {800_000, 200_000};
    double textbook = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);

    assertThat(Psi.of(expected, actual).getAsDouble()).isCloseTo(textbook, within(1e-5));
    assertThat(textbook).isCloseTo(0.416, within(1e-3));
  }

  @Test
  void anEmptyBinIsSmoothedInsteadOfInfinite() {
    double psi = Psi.of(new long[] {1000, 0}, new long[] {99, 1}).getAsDouble();

    assertThat(psi).isFinite().isBetween(0.01, 0.1);
  }

  @Test
  void isSymmetricAndGrowsWithTheShift() {
    long[] reference = {250, 250, 250, 250};
    double small = Psi.of(reference, new long[] {280, 250, 250, 220}).getAsDouble();
    double large = Psi.of(reference, new long[] {500, 250, 150, 100}).getAsDouble();

    assertThat(small).isLessThan(0.1);
    assertThat(large).isGreaterThan(0.2);
    assertThat(Psi.of(new long[] {500, 250, 150, 100}, reference).getAsDouble())
        .isCloseTo(large, within(1e-9));
  }

  @Test
  void undefinedWithoutObservations() {
    assertThat(Psi.of(new long[] {1, 2}, new long[] {0, 0})).isEmpty();
    assertThat(Psi.of(new long[] {0, 0}, new long[] {1, 2})).isEmpty();
  }
}
