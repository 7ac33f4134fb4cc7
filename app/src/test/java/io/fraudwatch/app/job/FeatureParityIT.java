package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.features.HandbookFeatures;
import io.fraudwatch.features.OfflineFeatures;
import io.fraudwatch.features.handbook.HandbookCsv;
import io.fraudwatch.features.handbook.HandbookRow;
import io.fraudwatch.testsupport.HandbookData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten days of the handbook's real transactions replayed through Kafka into the job, labels one
 * label delay later: the feature vectors the job stored equal an independent offline computation.
 */
class FeatureParityIT {
  private static final LocalDate FROM = LocalDate.of(2018, 4, 1);
  private static final LocalDate TO = LocalDate.of(2018, 4, 10);

  @TempDir Path workDir;

  @Test
  @Timeout(600)
  void streamedFeaturesEqualTheOfflineDefinition() throws Exception {
    List<HandbookRow> rows =
        HandbookCsv.sortedForReplay(
            new HandbookCsv()
                .readAll(
                    List.of(HandbookData.file("handbook-raw-2018-04.csv.gz")),
                    HandbookCsv.onDates(FROM, TO))
                .rows());
    HandbookFeatures.Config config = HandbookFeatures.Config.DEFAULT;
    Map<String, double[]> expected = new HashMap<>();
    OfflineFeatures.compute(rows, config)
        .forEach(r -> expected.put(Long.toString(r.transactionId()), r.features()));

    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: any champion (features do not depend on it); transactions, then labels in the order
      // they become known
      f.promote(f.amountModel(220), "parity");
      for (HandbookRow r : rows) {
        f.sendTransaction(
            Long.toString(r.transactionId()),
            r.eventTime(),
            r.customerId(),
            r.terminalId(),
            r.amount());
      }
      rows.stream()
          .sorted(
              Comparator.comparing(HandbookRow::eventTime)
                  .thenComparingLong(HandbookRow::transactionId))
          .forEach(
              r ->
                  f.sendLabel(
                      Long.toString(r.transactionId()),
                      r.fraud(),
                      r.eventTime().plus(config.labelDelay())));
      f.flush();

      // act: batches of a few hours of event time each
      f.startJob(Map.of("job.max-rate-per-partition", "8000", "job.backpressure", "false"));
      await()
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> f.count("select count(*) from fraudwatch.scored_transactions") == rows.size());

      // verify
      Map<String, double[]> streamed = new HashMap<>();
      f.query(
          "select transaction_id, features from fraudwatch.scored_transactions",
          rs -> {
            Double[] boxed = (Double[]) rs.getArray(2).getArray();
            return streamed.put(
                rs.getString(1),
                java.util.Arrays.stream(boxed).mapToDouble(Double::doubleValue).toArray());
          });
      assertThat(streamed).hasSize(rows.size());
      long customerMismatches = 0;
      long terminalMismatches = 0;
      long withRisk = 0;
      for (Map.Entry<String, double[]> e : expected.entrySet()) {
        double[] got = streamed.get(e.getKey());
        double[] want = e.getValue();
        for (int i = 0; i < want.length; i++) {
          if (Math.abs(got[i] - want[i]) > 1e-9 * Math.max(1, Math.abs(want[i]))) {
            if (HandbookFeatures.SCHEMA.names().get(i).startsWith("TERMINAL_ID")) {
              terminalMismatches++;
            } else {
              customerMismatches++;
            }
          }
        }
        withRisk += want[HandbookFeatures.TERMINAL_OFFSET + 5] > 0 ? 1 : 0;
      }
      System.out.printf(
          "[parity] %d transactions compared, %d with 30-day terminal risk > 0; mismatching values:"
              + " customer/flags/deviations %d, terminal %d%n",
          expected.size(), withRisk, customerMismatches, terminalMismatches);
      assertThat(withRisk).as("the slice must exercise terminal risk").isPositive();
      assertThat(customerMismatches).isZero();
      assertThat(terminalMismatches).isZero();
    }
  }
}
