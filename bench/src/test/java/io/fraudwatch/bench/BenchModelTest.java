package io.fraudwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.features.CustomerEvent;
import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.HistoryState;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.TerminalEvent;
import io.fraudwatch.features.TransactionInput;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelVersion;
import io.fraudwatch.models.scoring.LinearScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchModelTest {
  private static final Duration LABEL_DELAY = Duration.ofDays(7);

  @ParameterizedTest(name = "{0} customers, {1} terminals, {2} events")
  @CsvSource({
    "10000, 10000, 50000",
    "10000, 10000, 5000",
    "100000, 10000, 20000",
    "300, 200, 3000"
  })
  void theDefaultThresholdAlertsOnAFewPerCentOfAnyWorkload(
      int customers, int terminals, int events) {
    double rate = alertRate(new BenchWorkload(customers, terminals, 4, events, 0), 0.45);
    assertThat(BenchModel.DEFAULT_THRESHOLD).isEqualTo(0.45);
    assertThat(rate).isBetween(0.015, 0.05);
  }

  @Test
  void alertAllAlertsOnEveryTransaction() {
    assertThat(alertRate(new BenchWorkload(300, 200, 4, 3000, 0), 1e-9)).isEqualTo(1.0);
  }

  @Test
  void theTrainingDistributionComesFromTheHistoryOfTheFirstCustomers() {
    BenchWorkload w = new BenchWorkload(5_000, 1_000, 4, 1_000, 0);
    ModelVersion v =
        new ModelVersion(7, java.util.OptionalLong.empty(), BenchModel.content("test", 0.45), "c");

    var d = BenchModel.distribution(v, w);

    assertThat(d.rows()).isEqualTo(BenchModel.DISTRIBUTION_CUSTOMERS * 4L);
    assertThat(d.featureNames()).isEqualTo(HandbookFeatures.SCHEMA.names());
    assertThat(d.source()).contains("first 2000 customers");
  }

  /** Scores the workload's stream in order as the job does, history included. */
  private static double alertRate(BenchWorkload w, double threshold) {
    HistoryState history = new HistoryState(new HandbookFeatures.Config(LABEL_DELAY));
    List<CustomerEvent> customers = new ArrayList<>();
    List<TerminalEvent> terminals = new ArrayList<>();
    for (HandbookRow r : w.history(0, w.customers())) {
      String id = Long.toString(r.transactionId());
      customers.add(new CustomerEvent(id, r.customerId(), r.eventTime(), r.amount()));
      terminals.add(
          new TerminalEvent(
              id, r.terminalId(), r.eventTime(), r.fraud(), r.eventTime().plus(LABEL_DELAY)));
    }
    history.mergeSnapshot(customers, terminals);
    ModelContent c = BenchModel.content("test", threshold);
    LinearScorer scorer =
        new LinearScorer(
            1,
            c.schema(),
            new Standardisation(c.meanArray(), c.stdArray()),
            c.weightArray(),
            c.threshold());
    long alerts = 0;
    for (long n = 0; n < w.streamed(); n++) {
      var t = w.transaction(n);
      TransactionInput tx =
          new TransactionInput(
              t.getTransactionId(),
              t.getCustomerId(),
              t.getTerminalId(),
              t.getEventTime(),
              t.getAmount());
      if (scorer.score(history.features(tx)).alert()) {
        alerts++;
      }
      history.addTransaction(tx);
    }
    return (double) alerts / w.streamed();
  }
}
