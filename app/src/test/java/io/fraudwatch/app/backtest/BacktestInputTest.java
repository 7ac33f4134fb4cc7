package io.fraudwatch.app.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BacktestInputTest {
  private static final BacktestPlan PLAN =
      BacktestPlan.of(
          Optional.of(LocalDate.of(2018, 8, 8)),
          Optional.of(LocalDate.of(2018, 8, 9)),
          Optional.empty(),
          Optional.empty(),
          Duration.ofDays(7),
          null,
          Optional.empty());

  private static HandbookRow row(long id, String time, String card, boolean fraud) {
    return new HandbookRow(id, Instant.parse(time), card, "t", 1.0, fraud, 0);
  }

  @Test
  void historyBeforeTheReplayTheReplayInEventTimeOrderAndNothingOutsideThePeriod() {
    // the plan: history from 2018-06-18, bootstrap 07-25..07-31, replay 08-01..08-09
    List<HandbookRow> rows =
        List.of(
            row(9, "2018-08-10T00:00:00Z", "x", false), // after the test window
            row(5, "2018-08-08T10:00:00Z", "a", false),
            row(4, "2018-08-01T00:00:00Z", "b", true), // first replayed instant
            row(3, "2018-07-31T23:59:59Z", "c", true), // last history instant
            row(2, "2018-06-18T00:00:00Z", "d", false), // first history instant
            row(1, "2018-06-17T23:59:59Z", "e", true), // before everything
            row(6, "2018-08-08T10:00:00Z", "f", false)); // same time as 5: by id

    BacktestInput input = BacktestInput.split(rows, PLAN);

    assertThat(input.history()).extracting(HandbookRow::transactionId).containsExactly(2L, 3L);
    assertThat(input.replay())
        .extracting(ReplayTransaction::transactionId)
        .containsExactly("4", "5", "6");
    assertThat(input.testTransactions()).isEqualTo(2);
    assertThat(input.lastDay()).contains(LocalDate.of(2018, 8, 8));
    // c's fraud (07-31) is known on 08-08; b's (08-01 00:00) only from 08-09
    assertThat(input.known().knownOn("c", LocalDate.of(2018, 8, 8))).isTrue();
    assertThat(input.known().knownOn("b", LocalDate.of(2018, 8, 8))).isFalse();
    assertThat(input.known().knownOn("b", LocalDate.of(2018, 8, 9))).isTrue();
    assertThat(input.known().knownOn("e", LocalDate.of(2018, 8, 9))).isFalse();
  }

  @Test
  void theHistoryAndTheKnownCardsFollowTheReportedLabelsAndTheReplayKeepsTheTruth() {
    List<HandbookRow> rows =
        List.of(
            new HandbookRow(
                1, Instant.parse("2018-07-30T10:00:00Z"), "missed", "t", 1.0, true, 2, false),
            new HandbookRow(
                2, Instant.parse("2018-07-30T11:00:00Z"), "accused", "t", 1.0, false, 0, true),
            new HandbookRow(
                3, Instant.parse("2018-08-08T10:00:00Z"), "later", "t", 1.0, true, 2, false));

    BacktestInput input = BacktestInput.split(rows, PLAN);

    assertThat(input.history()).extracting(HandbookRow::fraud).containsExactly(false, true);
    assertThat(input.known().knownOn("missed", LocalDate.of(2018, 8, 8))).isFalse();
    assertThat(input.known().knownOn("accused", LocalDate.of(2018, 8, 8))).isTrue();
    assertThat(input.replay())
        .containsExactly(
            new ReplayTransaction(
                "3", Instant.parse("2018-08-08T10:00:00Z"), "later", "t", 1.0, true, false));
  }
}
