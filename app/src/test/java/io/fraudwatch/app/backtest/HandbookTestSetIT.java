package io.fraudwatch.app.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.testsupport.HandbookData;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * On the handbook's data, the backtest's test set for the published test week (2018-08-08..14,
 * 7-day delay), once the cards already known compromised are left out, is the handbook's own: it
 * prints 58,264 transactions of which 385 frauds (chapter 3, "Baseline fraud detection system"). So
 * the published figures and ours are computed on the same transactions.
 */
class HandbookTestSetIT {

  @Test
  void theTestWeekIsTheHandbooksTestSet() throws Exception {
    BacktestPlan plan =
        BacktestPlan.of(
            Optional.of(LocalDate.of(2018, 8, 8)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Duration.ofDays(7),
            LocalDate.of(2018, 8, 31),
            Optional.empty());
    // July and August hold the known-compromised count's start (07-25) and the test week
    BacktestInput input =
        BacktestInput.split(
            new HandbookCsv()
                .readAll(
                    List.of(
                        HandbookData.file("handbook-raw-2018-07.csv.gz"),
                        HandbookData.file("handbook-raw-2018-08.csv.gz")))
                .rows(),
            plan);

    List<ReplayTransaction> assessed =
        input.replay().stream()
            .filter(t -> !t.eventTime().isBefore(plan.testStart()))
            .filter(
                t ->
                    !input
                        .known()
                        .knownOn(
                            t.customerId(), LocalDate.ofInstant(t.eventTime(), ZoneOffset.UTC)))
            .toList();

    assertThat(input.testTransactions()).isEqualTo(67_080);
    assertThat(assessed).hasSize(58_264);
    assertThat(assessed.stream().filter(ReplayTransaction::fraud).count()).isEqualTo(385);
  }
}
