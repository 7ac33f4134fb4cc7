package io.fraudwatch.app.job;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.Standardisation;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.models.ModelContent;
import io.fraudwatch.models.ModelKind;
import io.fraudwatch.models.NewModelVersion;
import io.fraudwatch.models.TrainingData;
import io.fraudwatch.models.metrics.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stream whose frauds a linear model can learn: one transaction in 40 is a fraud and has a large
 * amount (300 and more), the others 20..219. The champion knows only the base rate (every feature
 * weight 0), so it ranks nothing, and an online learner that learns the amount weight beats it.
 */
final class LearnableStream {
  static final Instant START = Instant.parse("2018-04-01T00:00:00Z");
  static final Duration LABEL_DELAY = Duration.ofDays(7);

  final List<HandbookRow> rows;

  LearnableStream(int transactions, Duration spacing) {
    List<HandbookRow> out = new ArrayList<>(transactions);
    for (int i = 0; i < transactions; i++) {
      boolean fraud = i % 40 == 7;
      double amount = fraud ? 300 + (i * 13) % 150 : 20 + (i * 37) % 200;
      out.add(
          new HandbookRow(
              i,
              START.plus(spacing.multipliedBy(i)),
              "C" + (i % 97),
              "T" + (i % 151),
              amount,
              fraud,
              0));
    }
    rows = List.copyOf(out);
  }

  /**
   * Sends every transaction, and every label known exactly the label delay after its transaction.
   */
  void sendAll(JobFixture f) throws Exception {
    send(f, 0, rows.size());
  }

  /**
   * Sends transactions {@code from} (inclusive) to {@code to} (exclusive) in order, then their
   * labels.
   */
  void send(JobFixture f, int from, int to) throws Exception {
    sendTransactions(f, from, to);
    sendLabels(f, from, to);
  }

  /** Sends transactions {@code from} (inclusive) to {@code to} (exclusive) in order. */
  void sendTransactions(JobFixture f, int from, int to) throws Exception {
    for (HandbookRow r : rows.subList(from, to)) {
      f.sendTransaction(
          Long.toString(r.transactionId()),
          r.eventTime(),
          r.customerId(),
          r.terminalId(),
          r.amount());
    }
    f.flush();
  }

  /**
   * Sends the labels of transactions {@code from} (inclusive) to {@code to} (exclusive), each known
   * exactly the label delay after its transaction.
   */
  void sendLabels(JobFixture f, int from, int to) throws Exception {
    for (HandbookRow r : rows.subList(from, to)) {
      f.sendLabel(Long.toString(r.transactionId()), r.fraud(), r.eventTime().plus(LABEL_DELAY));
    }
    f.flush();
  }

  /** Stores the {@link #baseRateChampion()} and makes it champion; returns its id. */
  long promoteBaseRateChampion(JobFixture f) {
    long id = f.models.save(baseRateChampion());
    f.promote(id, "base rate");
    return id;
  }

  /**
   * The base-rate champion: the standardisation fitted on the stream's features, every feature
   * weight 0, the bias at the fraud rate's log-odds; trained, it says, on the day before the
   * stream.
   */
  NewModelVersion baseRateChampion() {
    List<double[]> features =
        OfflineFeatures.compute(rows, new HandbookFeatures.Config(LABEL_DELAY)).stream()
            .map(OfflineFeatures.FeatureRow::features)
            .toList();
    Standardisation scale = Standardisation.fit(features);
    long frauds = rows.stream().filter(HandbookRow::fraud).count();
    double[] weights = new double[HandbookFeatures.SIZE + 1];
    weights[HandbookFeatures.SIZE] = Math.log((double) frauds / (rows.size() - frauds));
    return NewModelVersion.of(
        ModelContent.create(
            Clock.systemUTC(),
            ModelContent.DEFAULT_MODEL,
            "test",
            ModelKind.BATCH,
            HandbookFeatures.SCHEMA,
            scale.means(),
            scale.stds(),
            weights,
            0.5,
            TrainingData.batch(START.minus(Duration.ofDays(1)), START, "base rate only"),
            Map.of(
                MetricNames.TRAINING_ROWS,
                (double) rows.size(),
                MetricNames.TRAINING_FRAUDS,
                (double) frauds)));
  }

  /**
   * Labels whose available-at (known-at, at the earliest the label delay after the transaction) is
   * in (from, to].
   */
  long labelsAvailableBetween(Instant from, Instant to) {
    return rows.stream()
        .map(r -> r.eventTime().plus(LABEL_DELAY))
        .filter(at -> at.isAfter(from) && !at.isAfter(to))
        .count();
  }
}
