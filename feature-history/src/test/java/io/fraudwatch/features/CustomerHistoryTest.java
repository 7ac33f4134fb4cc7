package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CustomerHistoryTest {

  private static final Instant T = Instant.parse("2018-04-20T12:00:00Z");
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final CustomerHistory history = new CustomerHistory("C1");

  private boolean add(long id, Instant time, double amount) {
    return history.add(new CustomerEvent(String.valueOf(id), "C1", time, amount));
  }

  private void addBoundaryCase() {
    add(1, T.minus(Duration.ofDays(1)), 100); // exactly t - 1d: not in the 1-day window
    add(2, T.minus(Duration.ofDays(1)).plus(SECOND), 20);
    add(3, T.minus(Duration.ofDays(7)), 1000); // exactly t - 7d
    add(4, T.minus(Duration.ofDays(30)), 5000); // exactly t - 30d: in no window
    add(5, T.minus(Duration.ofDays(30)).plus(SECOND), 2);
    add(9, T, 3); // same time, earlier id: counts
    add(11, T, 7); // same time, later id: does not
    add(12, T.plus(SECOND), 9); // after t: does not
  }

  @Test
  void windowsAreOpenAtTheStartClosedAtTheEndAndIncludeTheTransaction() {
    addBoundaryCase();

    double[] f = history.features(String.valueOf(10), T, 10);

    // 1d: {2, 9, 10}; 7d: {1, 2, 9, 10}; 30d: {1, 2, 3, 5, 9, 10}
    assertThat(f[0]).isEqualTo(3);
    assertThat(f[1]).isCloseTo(33.0 / 3, within(1e-12));
    assertThat(f[2]).isEqualTo(4);
    assertThat(f[3]).isCloseTo(133.0 / 4, within(1e-12));
    assertThat(f[4]).isEqualTo(6);
    assertThat(f[5]).isCloseTo(1135.0 / 6, within(1e-12));
    // largest earlier amount in 30d: 1000 (id 3); 5000 (id 4) is out, 7 and 9 (ids 11, 12) are not
    // earlier
    assertThat(f[6]).isEqualTo(1000);
    // last hour: {9, 10}
    assertThat(f[7]).isEqualTo(2);
  }

  @Test
  void theBurstWindowIsTheLastHourOpenAtTheStart() {
    add(1, T.minus(Duration.ofHours(1)), 1); // exactly t - 1h: not in it
    add(2, T.minus(Duration.ofHours(1)).plus(SECOND), 1);
    add(3, T.minus(Duration.ofMinutes(5)), 1);

    assertThat(history.features(String.valueOf(10), T, 1)[7]).isEqualTo(3);
    add(10, T, 1);
    assertThat(history.features(String.valueOf(10), T, 1)[7]).isEqualTo(3);
  }

  @Test
  void theSmallCountIsOfTheBurstWindowsAmountsUnderTheThresholdItselfIncluded() {
    add(1, T.minus(Duration.ofHours(1)), 1); // exactly t - 1h: not in it
    add(2, T.minus(Duration.ofMinutes(30)), 9.99);
    add(3, T.minus(Duration.ofMinutes(20)), HandbookFeatures.SMALL_AMOUNT); // not under it
    add(4, T.minus(Duration.ofMinutes(10)), 0.5);

    assertThat(history.features(String.valueOf(10), T, 2)[8]).isEqualTo(3);
    assertThat(history.features(String.valueOf(10), T, 250)[8]).isEqualTo(2);
    add(10, T, 2);
    assertThat(history.features(String.valueOf(10), T, 2)[8]).isEqualTo(3);
  }

  @Test
  void theLargestEarlierAmountLeavesOutTheTransactionItselfWhetherOrNotItWasAdded() {
    add(1, T.minus(Duration.ofDays(2)), 30);

    assertThat(history.features(String.valueOf(2), T, 500)[6]).isEqualTo(30);
    add(2, T, 500);
    assertThat(history.features(String.valueOf(2), T, 500)[6]).isEqualTo(30);
    assertThat(history.features(String.valueOf(1), T.minus(Duration.ofDays(2)), 30)[6]).isZero();
  }

  @Test
  void aTransactionCountsOnceWhetherOrNotItWasAdded() {
    addBoundaryCase();
    double[] before = history.features(String.valueOf(10), T, 10);

    assertThat(add(10, T, 10)).isTrue();

    assertThat(history.features(String.valueOf(10), T, 10)).containsExactly(before);
    // the later same-second transaction now sees it: {2, 9, 10, 11}
    double[] later = history.features(String.valueOf(11), T, 7);
    assertThat(later[0]).isEqualTo(4);
    assertThat(later[1]).isCloseTo(40.0 / 4, within(1e-12));
  }

  @Test
  void aTransactionAddedTwiceIsHeldOnce() {
    assertThat(add(1, T, 5)).isTrue();
    assertThat(add(1, T, 5)).isFalse();

    assertThat(history.size()).isEqualTo(1);
    assertThat(history.features(String.valueOf(2), T.plus(SECOND), 1)[0]).isEqualTo(2);
  }

  @Test
  void outOfOrderAddsGiveTheSameFeaturesAsInOrderAdds() {
    CustomerHistory inOrder = new CustomerHistory("C1");
    long[] arrival = {12, 4, 9, 1, 11, 3, 5, 2};
    for (long id : arrival) {
      add(id, T.plus(Duration.ofHours(id - 10)), id * 1.5);
    }
    long[] sorted = arrival.clone();
    java.util.Arrays.sort(sorted);
    for (long id : sorted) {
      inOrder.add(
          new CustomerEvent(String.valueOf(id), "C1", T.plus(Duration.ofHours(id - 10)), id * 1.5));
    }

    for (long id = 1; id <= 13; id++) {
      Instant time = T.plus(Duration.ofHours(id - 10));
      assertThat(history.features(String.valueOf(id), time, id * 1.5))
          .containsExactly(inOrder.features(String.valueOf(id), time, id * 1.5));
    }
    assertThat(history.features(String.valueOf(13), T.plus(Duration.ofHours(3)), 0)[4])
        .isEqualTo(9);
  }

  @Test
  void pruneKeepsEverythingTransactionsAfterTheWatermarkNeed() {
    CustomerHistory unpruned = new CustomerHistory("C1");
    for (int day = 0; day < 60; day++) {
      Instant time = T.plus(Duration.ofDays(day));
      add(day, time, day + 0.25);
      unpruned.add(new CustomerEvent(String.valueOf(day), "C1", time, day + 0.25));
    }
    Instant watermark = T.plus(Duration.ofDays(50));

    history.prune(watermark);

    // kept: days 21..59 (day 20 is exactly 30 days before the watermark)
    assertThat(history.size()).isEqualTo(39);
    for (int day = 50; day < 60; day++) {
      Instant time = T.plus(Duration.ofDays(day)).plus(Duration.ofHours(1));
      assertThat(history.features(String.valueOf(1000 + day), time, 1))
          .containsExactly(unpruned.features(String.valueOf(1000 + day), time, 1));
    }
    assertThat(add(99, T.plus(Duration.ofDays(20)), 1)).isFalse();
    assertThat(add(100, T.plus(Duration.ofDays(20)).plusNanos(1), 1)).isTrue();
  }

  @Test
  void pruningEverythingLeavesAnEmptyHistory() {
    add(1, T, 5);

    history.prune(T.plus(Duration.ofDays(31)));

    assertThat(history.isEmpty()).isTrue();
    assertThat(history.features(String.valueOf(2), T.plus(Duration.ofDays(31)), 4))
        .containsExactly(1, 4, 1, 4, 1, 4, 0, 1, 1);
  }

  @Test
  void rejectsAnotherCustomersEvent() {
    assertThatThrownBy(() -> history.add(new CustomerEvent(String.valueOf(1), "C2", T, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("customer C2, not to C1");
  }
}
