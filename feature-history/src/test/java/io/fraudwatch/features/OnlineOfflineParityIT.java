package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.testsupport.HandbookData;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * On the handbook's real April data, the online state run the way the job runs it gives exactly the
 * offline features: it starts from a snapshot of the first days, streams the rest in event-time
 * order (overlapping the snapshot by an hour), receives each label one label delay after its
 * transaction, is refreshed from a snapshot again midway and pruned every day.
 */
class OnlineOfflineParityIT {

  private static final String APRIL = "handbook-raw-2018-04.csv.gz";
  private static final LocalDate FIRST_DAY = LocalDate.of(2018, 4, 1);
  private static final LocalDate LAST_DAY = LocalDate.of(2018, 4, 12);
  private static final Instant STREAM_FROM = Instant.parse("2018-04-04T00:00:00Z");
  private static final Instant REFRESH_AT = Instant.parse("2018-04-08T00:00:00Z");

  @Test
  void onlineStateMatchesOfflineFeaturesOnRealData() throws IOException {
    HandbookFeatures.Config config = HandbookFeatures.Config.DEFAULT;
    HandbookCsv.Loaded loaded =
        new HandbookCsv()
            .readAll(List.of(HandbookData.file(APRIL)), HandbookCsv.onDates(FIRST_DAY, LAST_DAY));
    assertThat(loaded.report().rowsSkipped()).as(loaded.report().summary()).isZero();
    List<HandbookRow> rows = HandbookCsv.sortedForReplay(loaded.rows());
    Map<Long, double[]> expected =
        OfflineFeatures.compute(rows, config).stream()
            .collect(
                Collectors.toMap(
                    OfflineFeatures.FeatureRow::transactionId,
                    OfflineFeatures.FeatureRow::features));

    HistoryState state = new HistoryState(config);
    state.mergeSnapshot(
        rows.stream()
            .filter(row -> row.eventTime().isBefore(STREAM_FROM))
            .map(row -> row.toTransactionInput().customerEvent())
            .toList(),
        rows.stream()
            .filter(row -> row.eventTime().isBefore(STREAM_FROM))
            .map(row -> row.toTransactionInput().terminalEvent())
            .toList());
    Instant overlapFrom = STREAM_FROM.minus(1, ChronoUnit.HOURS);
    FeatureComparison comparison = new FeatureComparison();
    int released = 0;
    Instant lastPrunedDay = null;
    HistoryState.MergeCounts refresh = null;
    long withTerminalRisk = 0;

    for (HandbookRow row : rows) {
      Instant now = row.eventTime();
      if (now.isBefore(overlapFrom)) {
        continue;
      }
      while (!labelKnownAt(rows.get(released), config).isAfter(now)) {
        state.add(labelled(rows.get(released), config));
        released++;
      }
      Instant day = now.truncatedTo(ChronoUnit.DAYS);
      if (!day.equals(lastPrunedDay)) {
        state.prune(day);
        lastPrunedDay = day;
      }
      if (refresh == null && !now.isBefore(REFRESH_AT)) {
        refresh = refreshFromSnapshot(state, rows, now, config);
      }
      TransactionInput tx = row.toTransactionInput();
      double[] online = state.features(tx);
      state.addTransaction(tx);
      if (!now.isBefore(STREAM_FROM)) {
        comparison.compare(
            "transaction " + row.transactionId() + " at " + now,
            online,
            expected.get(row.transactionId()));
        if (online[HandbookFeatures.TERMINAL_OFFSET + 5] > 0) {
          withTerminalRisk++;
        }
      }
    }

    long streamed = rows.stream().filter(row -> !row.eventTime().isBefore(STREAM_FROM)).count();
    System.out.printf(
        "parity %s..%s: %d rows, %d vectors (%d values) compared from %s, %d mismatches, %d with a 30-day terminal "
            + "risk > 0; %d labels released; refresh at %s merged %s; state after: %d customers / %d events, %d terminals / %d events%n",
        FIRST_DAY,
        LAST_DAY,
        rows.size(),
        comparison.vectors(),
        comparison.values(),
        STREAM_FROM,
        comparison.mismatchCount(),
        withTerminalRisk,
        released,
        REFRESH_AT,
        refresh,
        state.customerCount(),
        state.customerEventCount(),
        state.terminalCount(),
        state.terminalEventCount());
    assertThat(comparison.mismatchCount()).as(comparison.firstMismatches()).isZero();
    assertThat(comparison.vectors()).isEqualTo(streamed).isGreaterThan(70_000);
    assertThat(withTerminalRisk)
        .as("transactions with a known-fraud terminal history")
        .isGreaterThan(100);
    assertThat(refresh)
        .as("a refresh re-delivers only what the state holds")
        .isEqualTo(new HistoryState.MergeCounts(0, 0));
    // snapshot, overlapping stream and refresh delivered most rows two or three times; each is held
    // once
    // (twelve days are within every window, so daily pruning drops nothing here)
    assertThat(state.customerEventCount()).isEqualTo(rows.size());
    assertThat(state.terminalEventCount()).isEqualTo(rows.size());
  }

  /**
   * What a periodic refresh would read from PostgreSQL at {@code now}: the rows so far, with the
   * labels known by then.
   */
  private static HistoryState.MergeCounts refreshFromSnapshot(
      HistoryState state, List<HandbookRow> rows, Instant now, HandbookFeatures.Config config) {
    List<HandbookRow> past = rows.stream().filter(row -> row.eventTime().isBefore(now)).toList();
    return state.mergeSnapshot(
        past.stream().map(row -> row.toTransactionInput().customerEvent()).toList(),
        past.stream()
            .map(
                row ->
                    labelKnownAt(row, config).isAfter(now)
                        ? row.toTransactionInput().terminalEvent()
                        : labelled(row, config))
            .toList());
  }

  private static Instant labelKnownAt(HandbookRow row, HandbookFeatures.Config config) {
    return row.eventTime().plus(config.labelDelay());
  }

  private static TerminalEvent labelled(HandbookRow row, HandbookFeatures.Config config) {
    return new TerminalEvent(
        String.valueOf(row.transactionId()),
        row.terminalId(),
        row.eventTime(),
        row.fraud(),
        labelKnownAt(row, config));
  }
}
