package io.fraudwatch.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardPrecisionTest {
  private static final LocalDate DAY1 = LocalDate.of(2018, 8, 8);
  private static final LocalDate DAY2 = DAY1.plusDays(1);

  private static ScoredOutcome fraud(String card, LocalDate day, double score) {
    return new ScoredOutcome(card, day, score, true);
  }

  private static ScoredOutcome genuine(String card, LocalDate day, double score) {
    return new ScoredOutcome(card, day, score, false);
  }

  @Test
  void aCardScoresItsHighestTransactionAndIsCompromisedByAnyFraud() {
    // A: max 0.9, has a fraud (at 0.1); B: 0.8 genuine; C: 0.7 fraud. Top 2 = A, B -> 1 of 2
    CardPrecision.Result r =
        CardPrecision.atK(
            List.of(
                genuine("A", DAY1, 0.9),
                fraud("A", DAY1, 0.1),
                genuine("B", DAY1, 0.8),
                fraud("C", DAY1, 0.7)),
            2);

    assertThat(r.days()).containsExactly(new CardPrecision.Day(DAY1, 3, 2, 1, 0.5));
    assertThat(r.mean()).hasValue(0.5);
  }

  @Test
  void cardsFoundCompromisedLeaveTheFollowingDays() {
    // day 1, k=1: A (fraud) is checked and found -> blocked; B (genuine at 0.8) was not checked
    // day 2: A would top the day again; without it, B (0.6, genuine) is checked, C (fraud) missed
    CardPrecision.Result r =
        CardPrecision.atK(
            List.of(
                fraud("A", DAY1, 0.9),
                genuine("B", DAY1, 0.8),
                fraud("A", DAY2, 0.95),
                genuine("B", DAY2, 0.6),
                fraud("C", DAY2, 0.3)),
            1);

    assertThat(r.days())
        .containsExactly(
            new CardPrecision.Day(DAY1, 2, 1, 1, 1.0), new CardPrecision.Day(DAY2, 2, 1, 0, 0.0));
    assertThat(r.mean()).hasValue(0.5);
  }

  @Test
  void aCheckedGenuineCardStaysInThePool() {
    CardPrecision.Result r =
        CardPrecision.atK(
            List.of(
                genuine("B", DAY1, 0.9),
                fraud("A", DAY1, 0.1),
                fraud("B", DAY2, 0.9),
                genuine("A", DAY2, 0.1)),
            1);

    assertThat(r.days()).extracting(CardPrecision.Day::precision).containsExactly(0.0, 1.0);
  }

  @Test
  void dividesByKEvenWithFewerCards() {
    CardPrecision.Result r =
        CardPrecision.atK(
            List.of(fraud("1", DAY1, 0.2), fraud("2", DAY1, 0.1), genuine("3", DAY1, 0.5)), 100);

    assertThat(r.days()).containsExactly(new CardPrecision.Day(DAY1, 3, 2, 2, 0.02));
  }

  @Test
  void tiesAreRankedByCardIdNumericallyWhenIdsAreNumbers() {
    // "9" < "10" as numbers (as text "10" would come first)
    assertThat(
            CardPrecision.atK(List.of(genuine("10", DAY1, 0.5), fraud("9", DAY1, 0.5)), 1).mean())
        .hasValue(1.0);
    assertThat(
            CardPrecision.atK(List.of(fraud("10", DAY1, 0.5), genuine("9", DAY1, 0.5)), 1).mean())
        .hasValue(0.0);
    // text ids as text; whole numbers before text
    assertThat(CardPrecision.atK(List.of(genuine("b", DAY1, 0.5), fraud("a", DAY1, 0.5)), 1).mean())
        .hasValue(1.0);
    assertThat(CardPrecision.atK(List.of(genuine("a", DAY1, 0.5), fraud("7", DAY1, 0.5)), 1).mean())
        .hasValue(1.0);
    // a higher score still wins over a lower id
    assertThat(
            CardPrecision.atK(List.of(genuine("1", DAY1, 0.5), fraud("2", DAY1, 0.50001)), 1)
                .mean())
        .hasValue(1.0);
  }

  @Test
  void allOneClass() {
    List<ScoredOutcome> genuineOnly = List.of(genuine("1", DAY1, 0.9), genuine("2", DAY1, 0.1));
    List<ScoredOutcome> fraudOnly =
        List.of(fraud("1", DAY1, 0.9), fraud("2", DAY1, 0.1), fraud("3", DAY1, 0.5));

    assertThat(CardPrecision.atK(genuineOnly, 2).days())
        .containsExactly(new CardPrecision.Day(DAY1, 2, 0, 0, 0.0));
    assertThat(CardPrecision.atK(fraudOnly, 2).days())
        .containsExactly(new CardPrecision.Day(DAY1, 3, 3, 2, 1.0));
  }

  @Test
  void noTransactionsNoDays() {
    CardPrecision.Result r = CardPrecision.atK(List.of(), 100);

    assertThat(r.days()).isEmpty();
    assertThat(r.mean()).isEmpty();
  }

  @Test
  void kMustBePositive() {
    assertThatThrownBy(() -> CardPrecision.atK(List.of(), 0))
        .hasMessageContaining("k must be at least 1");
  }
}
