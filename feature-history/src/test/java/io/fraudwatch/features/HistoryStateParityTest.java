package io.fraudwatch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.handbook.HandbookRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The online state fed everything in a random order, with repeats, gives the offline features: the
 * windows depend on event time and transaction id, not on arrival order. Times sit on a coarse grid
 * so that many transactions share a timestamp.
 */
class HistoryStateParityTest {

  private static final Instant START = Instant.parse("2018-04-01T00:00:00Z");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void shuffledArrivalsGiveTheOfflineFeatures(long seed) {
    Random random = new Random(seed);
    HandbookFeatures.Config config =
        new HandbookFeatures.Config(Duration.ofDays(1 + random.nextInt(7)));
    List<HandbookRow> rows = new ArrayList<>();
    for (long id = 0; id < 600; id++) {
      // a quarter follow the previous row's customer at its time or half an hour later (on the
      // grid, so that the hour's boundaries are hit), and a third are small amounts, 10 among them,
      // so that the burst counts go past 1
      boolean burst = id > 0 && random.nextInt(4) == 0;
      HandbookRow previous = burst ? rows.get(rows.size() - 1) : null;
      Instant time =
          burst
              ? previous.eventTime().plus(Duration.ofMinutes(30L * random.nextInt(2)))
              : START.plus(Duration.ofMinutes(30L * random.nextInt(60 * 48)));
      double amount =
          random.nextInt(3) == 0
              ? random.nextInt(21) * 0.5
              : Math.round(random.nextDouble() * 20_000) / 100.0;
      rows.add(
          new HandbookRow(
              id,
              time,
              burst ? previous.customerId() : "C" + random.nextInt(6),
              "T" + random.nextInt(4),
              amount,
              random.nextInt(5) == 0,
              0));
    }
    List<Object> arrivals = new ArrayList<>();
    for (HandbookRow row : rows) {
      TransactionInput tx = row.toTransactionInput();
      arrivals.add(tx.customerEvent());
      arrivals.add(tx.terminalEvent());
      arrivals.add(
          new TerminalEvent(
              String.valueOf(row.transactionId()),
              row.terminalId(),
              row.eventTime(),
              row.fraud(),
              row.eventTime().plus(config.labelDelay())));
      if (random.nextInt(4) == 0) {
        arrivals.add(tx.customerEvent());
      }
    }
    Collections.shuffle(arrivals, random);
    HistoryState state = new HistoryState(config);

    for (Object arrival : arrivals) {
      if (arrival instanceof CustomerEvent customer) {
        state.add(customer);
      } else {
        state.add((TerminalEvent) arrival);
      }
    }

    Map<Long, HandbookRow> byId =
        rows.stream().collect(Collectors.toMap(HandbookRow::transactionId, Function.identity()));
    FeatureComparison comparison = new FeatureComparison();
    int nightSmallBursts = 0;
    for (OfflineFeatures.FeatureRow expected : OfflineFeatures.compute(rows, config)) {
      double[] online = state.features(byId.get(expected.transactionId()).toTransactionInput());
      comparison.compare("transaction " + expected.transactionId(), online, expected.features());
      nightSmallBursts += expected.features()[HandbookFeatures.NIGHT_SMALL_COUNT_BURST] > 1 ? 1 : 0;
    }
    assertThat(comparison.vectors()).isEqualTo(rows.size());
    assertThat(nightSmallBursts).as("rows with two small ones at night in the hour").isPositive();
    assertThat(comparison.mismatchCount()).as(comparison.firstMismatches()).isZero();
    assertThat(state.customerEventCount()).isEqualTo(rows.size());
    assertThat(state.terminalEventCount()).isEqualTo(rows.size());
  }
}
