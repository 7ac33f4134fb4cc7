package io.fraudwatch.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class WindowEvaluationTest {
  private static final LocalDate DAY1 = LocalDate.of(2018, 8, 8);
  private static final LocalDate DAY2 = DAY1.plusDays(1);
  private static final LocalDate DAY3 = DAY1.plusDays(2);

  @Test
  void pooledRankingMetricsAndCardPrecisionAveragedOverDaysWithTransactions() {
    List<ScoredOutcome> outcomes =
        List.of(
            new ScoredOutcome("A", DAY1, 0.9, true), new ScoredOutcome("B", DAY1, 0.2, false),
            new ScoredOutcome("C", DAY1, 0.4, true), new ScoredOutcome("D", DAY1, 0.3, false),
            // day 2 has nothing; day 3 is genuine only
            new ScoredOutcome("E", DAY3, 0.1, false), new ScoredOutcome("F", DAY3, 0.6, false));

    WindowEvaluation w = WindowEvaluation.of(outcomes, DAY1, DAY3, 1);

    // pooled: fraud 0.9 beats all 4 genuine, fraud 0.4 beats 3 of 4 -> 7/8
    assertThat(w.aucRoc()).hasValue(0.875);
    // descending: 0.9 F (P 1, R 1/2), 0.6 G, 0.4 F (P 2/3, R 1) -> 1/2 + 1/3
    assertThat(w.averagePrecision().getAsDouble()).isCloseTo(5.0 / 6, within(1e-12));
    // CP@1: day 1 finds A (1.0), day 3 checks F, genuine (0.0); day 2 has no transactions -> (1 +
    // 0) / 2
    assertThat(w.cardPrecisionAtK()).hasValue(0.5);
    assertThat(w.transactions()).isEqualTo(6);
    assertThat(w.frauds()).isEqualTo(2);
    assertThat(w.days())
        .containsExactly(
            new WindowEvaluation.DayEvaluation(
                DAY1,
                4,
                2,
                OptionalDouble.of(1.0),
                OptionalDouble.of(1.0),
                OptionalDouble.of(1.0),
                2),
            new WindowEvaluation.DayEvaluation(
                DAY2,
                0,
                0,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                0),
            new WindowEvaluation.DayEvaluation(
                DAY3,
                2,
                0,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.of(0.0),
                0));
  }

  @Test
  void anEmptyWindowHasNoMetrics() {
    WindowEvaluation w = WindowEvaluation.of(List.of(), DAY1, DAY1, 100);

    assertThat(w.aucRoc()).isEmpty();
    assertThat(w.averagePrecision()).isEmpty();
    assertThat(w.cardPrecisionAtK()).isEmpty();
    assertThat(w.days()).hasSize(1);
  }

  @Test
  void refusesOutcomesOutsideTheWindow() {
    assertThatThrownBy(
            () ->
                WindowEvaluation.of(
                    List.of(new ScoredOutcome("A", DAY3, 0.1, false)), DAY1, DAY2, 1))
        .hasMessageContaining("outside the window 2018-08-08..2018-08-09");
  }
}
