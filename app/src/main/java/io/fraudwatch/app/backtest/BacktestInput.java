package io.fraudwatch.app.backtest;

import io.fraudwatch.app.replay.ReplayTransaction;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.metrics.KnownCompromisedCards;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The input rows a backtest uses, split by its plan: the feature history (the bootstrap window and
 * the look-back before it, the bootstrap model fitting on the window's days), the transactions to
 * replay in event-time order (after the bootstrap window up to the end of the test window), and the
 * cards known compromised on the test days. The history and the known cards follow the reported
 * labels, what the system is told; the replayed transactions keep the truth beside them for the
 * assessment.
 *
 * @param testTransactions replayed transactions in the test window
 * @param lastDay the day of the last replayed transaction, empty when none
 */
public record BacktestInput(
    List<HandbookRow> history,
    List<ReplayTransaction> replay,
    KnownCompromisedCards known,
    long testTransactions,
    Optional<LocalDate> lastDay) {

  public BacktestInput {
    history = List.copyOf(history);
    replay = List.copyOf(replay);
  }

  /** Splits {@code rows} (any order; rows outside the plan's period are ignored). */
  public static BacktestInput split(Collection<HandbookRow> rows, BacktestPlan plan) {
    List<HandbookRow> history = new ArrayList<>();
    List<HandbookRow> replay = new ArrayList<>();
    KnownCompromisedCards.Builder known =
        new KnownCompromisedCards.Builder(plan.knownCompromisedFrom(), plan.labelDelay());
    long inTest = 0;
    Instant last = null;
    for (HandbookRow row : rows) {
      Instant t = row.eventTime();
      if (t.isBefore(plan.loadFrom()) || !t.isBefore(plan.testEnd())) {
        continue;
      }
      // what the system knows: the reported labels (the truth but in data with simulated label
      // noise)
      known.add(row.customerId(), t, row.reportedFraud());
      if (t.isBefore(plan.replayStart())) {
        if (!t.isBefore(plan.historyStart())) {
          history.add(row.asReported());
        }
      } else {
        replay.add(row);
        inTest += t.isBefore(plan.testStart()) ? 0 : 1;
        last = last == null || t.isAfter(last) ? t : last;
      }
    }
    return new BacktestInput(
        HandbookCsv.sortedForReplay(history),
        HandbookCsv.sortedForReplay(replay).stream().map(ReplayTransaction::of).toList(),
        known.build(),
        inTest,
        Optional.ofNullable(last).map(t -> LocalDate.ofInstant(t, ZoneOffset.UTC)));
  }
}
