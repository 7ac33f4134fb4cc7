package io.fraudwatch.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveCardPrecisionTest {
  private static final LocalDate D1 = LocalDate.parse("2018-05-01");
  private static final LocalDate D2 = D1.plusDays(1);

  @Test
  void aCardWhoseFraudWasKnownBeforeTheDayLeavesItsPool() {
    List<ScoredOutcome> cardDays =
        List.of(
            new ScoredOutcome("a", D2, 0.9, true),
            new ScoredOutcome("b", D2, 0.8, true),
            new ScoredOutcome("c", D2, 0.7, false));

    CardPrecision.Result blocked =
        LiveCardPrecision.perDay(cardDays, Map.of("a", Instant.parse("2018-05-01T12:00:00Z")), 2);
    CardPrecision.Result notYet =
        LiveCardPrecision.perDay(cardDays, Map.of("a", Instant.parse("2018-05-02T12:00:00Z")), 2);

    // a was known the day before: the two cards checked are b (fraud) and c
    assertThat(blocked.days())
        .singleElement()
        .satisfies(d -> assertThat(d.precision()).isEqualTo(0.5));
    // a's label came during the day: a and b are checked, both frauds
    assertThat(notYet.days())
        .singleElement()
        .satisfies(d -> assertThat(d.precision()).isEqualTo(1.0));
  }

  @Test
  void aCardFoundOnOneDayIsNotCountedAgainTheNext() {
    List<ScoredOutcome> cardDays =
        List.of(
            new ScoredOutcome("a", D1, 0.9, true),
            new ScoredOutcome("a", D2, 0.9, true),
            new ScoredOutcome("b", D2, 0.1, false));

    CardPrecision.Result r = LiveCardPrecision.perDay(cardDays, Map.of(), 1);

    assertThat(r.days()).extracting(CardPrecision.Day::precision).containsExactly(1.0, 0.0);
    assertThat(r.mean()).hasValue(0.5);
  }
}
