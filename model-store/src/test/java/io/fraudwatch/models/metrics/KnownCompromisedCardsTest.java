package io.fraudwatch.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownCompromisedCardsTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant TRAINING_START = Instant.parse("2018-07-25T00:00:00Z");
  private static final LocalDate TEST_DAY = LocalDate.of(2018, 8, 8);

  @Test
  void aFraudIsKnownFromTheDayAfterItsLabelArrivesAsInTheHandbook() {
    // handbook, 7-day delay: a fraud on day D is known for test day d when D <= d - 8
    KnownCompromisedCards known =
        new KnownCompromisedCards.Builder(TRAINING_START, WEEK)
            .add("late-july", Instant.parse("2018-07-31T23:59:59Z"), true) // D = d - 8
            .add(
                "first-august",
                Instant.parse("2018-08-01T00:00:00Z"),
                true) // D = d - 7: label at 08-08 00:00
            .build();

    assertThat(known.knownOn("late-july", TEST_DAY)).isTrue();
    assertThat(known.knownOn("late-july", TEST_DAY.minusDays(1))).isFalse();
    assertThat(known.knownOn("first-august", TEST_DAY)).isFalse();
    assertThat(known.knownOn("first-august", TEST_DAY.plusDays(1))).isTrue();
  }

  @Test
  void onlyFraudsFromTheCountStartCount() {
    KnownCompromisedCards known =
        new KnownCompromisedCards.Builder(TRAINING_START, WEEK)
            .add("before", Instant.parse("2018-07-24T23:59:59Z"), true)
            .add("genuine", Instant.parse("2018-07-26T10:00:00Z"), false)
            .add("counted", TRAINING_START, true)
            .build();

    assertThat(known.knownOn("before", TEST_DAY)).isFalse();
    assertThat(known.knownOn("genuine", TEST_DAY)).isFalse();
    assertThat(known.knownOn("counted", TEST_DAY)).isTrue();
    assertThat(known.knownOn("never-seen", TEST_DAY)).isFalse();
    assertThat(known.size()).isEqualTo(1);
  }

  @Test
  void theFirstFraudOfACardDecides() {
    KnownCompromisedCards known =
        new KnownCompromisedCards.Builder(TRAINING_START, WEEK)
            .add("c", Instant.parse("2018-08-05T12:00:00Z"), true)
            .add("c", Instant.parse("2018-07-30T12:00:00Z"), true)
            .build();

    assertThat(known.knownOn("c", TEST_DAY)).isTrue();
  }

  @Test
  void anyDelayWorks() {
    KnownCompromisedCards known =
        new KnownCompromisedCards.Builder(TRAINING_START, Duration.ofHours(36))
            .add("c", Instant.parse("2018-08-06T11:59:59Z"), true) // known 08-07 23:59:59
            .build();

    assertThat(known.knownOn("c", TEST_DAY.minusDays(1))).isFalse();
    assertThat(known.knownOn("c", TEST_DAY)).isTrue();
  }

  @Test
  void removesTheTransactionsOfKnownCardsOnTheirDay() {
    KnownCompromisedCards known =
        new KnownCompromisedCards.Builder(TRAINING_START, WEEK)
            .add("a", Instant.parse("2018-08-01T06:00:00Z"), true) // known from 08-09
            .build();
    ScoredOutcome onTheEighth = new ScoredOutcome("a", TEST_DAY, 0.9, true);
    ScoredOutcome onTheNinth = new ScoredOutcome("a", TEST_DAY.plusDays(1), 0.9, true);
    ScoredOutcome otherCard = new ScoredOutcome("b", TEST_DAY.plusDays(1), 0.1, false);

    assertThat(known.remove(List.of(onTheEighth, onTheNinth, otherCard)))
        .containsExactly(onTheEighth, otherCard);
  }
}
