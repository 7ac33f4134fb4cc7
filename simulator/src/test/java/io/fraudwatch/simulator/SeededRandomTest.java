package io.fraudwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fraudwatch.simulator.SeededRandom.Purpose;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SeededRandomTest {

  private static final int DRAWS = 200_000;

  @Test
  void sameKeyGivesTheSameSequenceAndAnyKeyPartChangesIt() {
    long[] reference = draws(SeededRandom.forKey(1, Purpose.CUSTOMER_DAY_TRANSACTIONS, 2, 3));

    assertThat(draws(SeededRandom.forKey(1, Purpose.CUSTOMER_DAY_TRANSACTIONS, 2, 3)))
        .isEqualTo(reference);
    assertThat(draws(SeededRandom.forKey(2, Purpose.CUSTOMER_DAY_TRANSACTIONS, 2, 3)))
        .isNotEqualTo(reference);
    assertThat(draws(SeededRandom.forKey(1, Purpose.CUSTOMER_PROFILE, 2, 3)))
        .isNotEqualTo(reference);
    assertThat(draws(SeededRandom.forKey(1, Purpose.CUSTOMER_DAY_TRANSACTIONS, 3, 2)))
        .isNotEqualTo(reference);
    assertThat(draws(SeededRandom.forKey(1, Purpose.CUSTOMER_DAY_TRANSACTIONS, 2, 4)))
        .isNotEqualTo(reference);
  }

  @Test
  void uniformDrawsStayInRangeWithTheRightMean() {
    SeededRandom random = SeededRandom.forKey(0, Purpose.TERMINAL_PROFILE, 0, 0);
    double sum = 0;
    for (int i = 0; i < DRAWS; i++) {
      double value = random.nextUniform(5, 100);
      assertThat(value).isGreaterThanOrEqualTo(5).isLessThan(100);
      sum += value;
    }
    // SD of the mean: 95 / sqrt(12 * DRAWS) = 0.06
    assertThat(sum / DRAWS).isCloseTo(52.5, within(0.3));
  }

  @Test
  void boundedIntsAreUnbiased() {
    SeededRandom random = SeededRandom.forKey(0, Purpose.TERMINAL_PROFILE, 1, 0);
    int[] counts = new int[7];
    for (int i = 0; i < DRAWS * 7 / 10; i++) {
      counts[random.nextInt(7)]++;
    }
    // expected 20,000 each, SD about 130
    assertThat(Arrays.stream(counts).boxed())
        .allSatisfy(count -> assertThat(count).isBetween(19_300, 20_700));
    assertThatThrownBy(() -> random.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gaussianHasMeanZeroAndUnitVariance() {
    SeededRandom random = SeededRandom.forKey(0, Purpose.CUSTOMER_PROFILE, 0, 0);
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < DRAWS; i++) {
      double value = random.nextGaussian();
      sum += value;
      sumOfSquares += value * value;
    }
    assertThat(sum / DRAWS).isCloseTo(0, within(0.015));
    assertThat(sumOfSquares / DRAWS).isCloseTo(1, within(0.015));
  }

  @Test
  void poissonHasMeanAndVarianceEqualToItsParameter() {
    SeededRandom random = SeededRandom.forKey(0, Purpose.COMPROMISED_CUSTOMERS, 0, 0);
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < DRAWS; i++) {
      int value = random.nextPoisson(2.5);
      sum += value;
      sumOfSquares += (double) value * value;
    }
    double mean = sum / DRAWS;
    assertThat(mean).isCloseTo(2.5, within(0.02));
    assertThat(sumOfSquares / DRAWS - mean * mean).isCloseTo(2.5, within(0.05));
    assertThat(random.nextPoisson(0)).isZero();
    assertThatThrownBy(() -> random.nextPoisson(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void samplingWithoutReplacementGivesDistinctSortedValuesCoveringTheRange() {
    SeededRandom random = SeededRandom.forKey(0, Purpose.COMPROMISED_TERMINALS, 0, 0);
    int[] hits = new int[10];
    for (int i = 0; i < 20_000; i++) {
      int[] sample = random.sampleWithoutReplacement(10, 3);
      assertThat(sample).hasSize(3).isSorted().doesNotHaveDuplicates();
      Arrays.stream(sample).forEach(value -> hits[value]++);
    }
    // each value is in a sample with probability 3/10: 6,000 expected, SD about 65
    assertThat(Arrays.stream(hits).boxed())
        .allSatisfy(count -> assertThat(count).isBetween(5_700, 6_300));
    assertThat(random.sampleWithoutReplacement(4, 4)).containsExactly(0, 1, 2, 3);
    assertThat(random.sampleWithoutReplacement(4, 0)).isEmpty();
    assertThatThrownBy(() -> random.sampleWithoutReplacement(2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot choose 3 distinct values out of 2");
  }

  private static long[] draws(SeededRandom random) {
    return LongStream.range(0, 16).map(i -> random.nextLong()).toArray();
  }
}
