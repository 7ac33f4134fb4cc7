package io.fraudwatch.models.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftWindowTest {
  private static final Instant DAY = Instant.parse("2018-05-01T00:00:00Z");

  /** Amount uniform on 0..100, night flag set from 00:00 to 07:00, score = amount / 100. */
  private static TrainingDistribution reference() {
    SplittableRandom r = new SplittableRandom(2);
    List<double[]> rows = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 24_000; i++) {
      double amount = r.nextDouble() * 100;
      rows.add(new double[] {amount, (i % 24) < 7 ? 1 : 0});
      scores.add(amount / 100);
    }
    return TrainingDistribution.fit(
        List.of("amount", "night"), rows, scores.stream().mapToDouble(d -> d).toArray(), "t");
  }

  private static void day(DriftWindow w, Instant day, double amountScale) {
    SplittableRandom r = new SplittableRandom(day.getEpochSecond());
    for (int hour = 0; hour < 24; hour++) {
      for (int i = 0; i < 200; i++) {
        double amount = r.nextDouble() * 100 * amountScale;
        w.add(
            day.plusSeconds(3600L * hour + i),
            new double[] {amount, hour < 7 ? 1 : 0},
            Math.min(1, amount / 100),
            1);
      }
    }
  }

  private static double psi(List<DriftWindow.Value> values, String variable) {
    return values.stream()
        .filter(v -> v.variable().equals(variable))
        .findFirst()
        .orElseThrow()
        .psi();
  }

  @Test
  void aWholeDayLikeTheTrainingDaysShowsNoDriftWhereSingleHoursShowTheDaysRhythm() {
    DriftWindow day = new DriftWindow(reference(), Duration.ofHours(24));
    DriftWindow hour = new DriftWindow(reference(), Duration.ofHours(1));
    day(day, DAY, 1);
    day(hour, DAY, 1);
    Instant lastHour = DAY.plusSeconds(23 * 3600);

    List<DriftWindow.Value> overDay = day.psiAt(lastHour);
    List<DriftWindow.Value> overHour = hour.psiAt(lastHour);

    assertThat(overDay)
        .extracting(DriftWindow.Value::variable)
        .containsExactly("amount", "night", DriftWindow.SCORE);
    assertThat(overDay).allSatisfy(v -> assertThat(v.psi()).isLessThan(0.02));
    assertThat(overDay.get(0).rows()).isEqualTo(24 * 200);
    assertThat(psi(overHour, "night")).isGreaterThan(0.2);
    assertThat(psi(overHour, "amount")).isLessThan(0.1);
    assertThat(overHour.get(0).rows()).isEqualTo(200);
  }

  @Test
  void largerAmountsDriftTheAmountAndTheScore() {
    DriftWindow w = new DriftWindow(reference(), Duration.ofHours(24));
    day(w, DAY, 1.6);

    List<DriftWindow.Value> values = w.psiAt(DAY.plusSeconds(23 * 3600));

    assertThat(psi(values, "amount")).isGreaterThan(0.2);
    assertThat(psi(values, DriftWindow.SCORE)).isGreaterThan(0.2);
    assertThat(psi(values, "night")).isLessThan(0.02);
  }

  @Test
  void aSampleCountsAsTheTransactionsItStandsFor() {
    DriftWindow all = new DriftWindow(reference(), Duration.ofHours(24));
    DriftWindow sampled = new DriftWindow(reference(), Duration.ofHours(24));
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 24 * 200; i++) {
      double amount = r.nextDouble() * 100 * 1.6;
      Instant at = DAY.plusSeconds(18L * i);
      double[] features = {amount, at.getEpochSecond() % 86_400 < 7 * 3600 ? 1 : 0};
      all.add(at, features, Math.min(1, amount / 100), 1);
      if (i % 10 == 0) {
        sampled.add(at, features, Math.min(1, amount / 100), 10);
      }
    }
    Instant lastHour = DAY.plusSeconds(23 * 3600);

    List<DriftWindow.Value> fromAll = all.psiAt(lastHour);
    List<DriftWindow.Value> fromSample = sampled.psiAt(lastHour);

    assertThat(fromSample.get(0).rows()).isEqualTo(24 * 200);
    assertThat(sampled.rowsIn(DAY)).isEqualTo(200);
    assertThat(psi(fromSample, "amount")).isGreaterThan(0.2);
    for (String v : List.of("amount", "night", DriftWindow.SCORE)) {
      assertThat(psi(fromSample, v)).as(v).isCloseTo(psi(fromAll, v), within(0.05));
    }
  }

  @Test
  void theWindowSlidesAndForgetsWhatNoLaterWindowNeeds() {
    DriftWindow w = new DriftWindow(reference(), Duration.ofHours(2));
    w.add(DAY.plusSeconds(10), new double[] {10, 1}, 0.1, 1);
    w.add(DAY.plusSeconds(3600 + 10), new double[] {20, 1}, 0.2, 1);
    w.add(DAY.plusSeconds(7200 + 10), new double[] {30, 1}, 0.3, 1);

    assertThat(w.psiAt(DAY.plusSeconds(7200)).get(0).rows()).isEqualTo(2);
    assertThat(w.psiAt(DAY.plusSeconds(3 * 3600)).get(0).rows()).isEqualTo(1);
    assertThat(w.psiAt(DAY.plusSeconds(5 * 3600))).isEmpty();

    w.forgetBefore(DAY.plusSeconds(7200));
    assertThat(w.rowsIn(DAY)).isZero();
    assertThat(w.rowsIn(DAY.plusSeconds(3600))).isEqualTo(1);
  }

  @Test
  void refusesAWindowOfPartHours() {
    assertThatThrownBy(() -> new DriftWindow(reference(), Duration.ofMinutes(90)))
        .hasMessageContaining("whole number");
  }
}
