package io.fraudwatch.app.job;

import static org.awaitility.Awaitility.await;

import io.fraudwatch.avro.AvroCodec;
import io.fraudwatch.avro.Transaction;
import io.fraudwatch.scoring.job.ScoringJobRunner;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the measurement behind {@code checkpoint.interval}'s default (docs/stream-state.md).
 * The same steady stream through the job without sessions and windows and with them at several
 * checkpoint intervals; prints Spark's mean processing time per batch. Run it on purpose:
 *
 * <pre>
 * mvn -B -pl app -am verify -Dit.test=CheckpointIntervalCost -Dtest=none \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>{@code -Dintervals=off,10s} measures only those (the default: off,1s,5s,10s,30s).
 */
class CheckpointIntervalCost {
  private static final int TRANSACTIONS = 60_000;
  private static final String[] COUNTRIES = {"BE", "FR", "NL", "DE", "LU", null};

  @TempDir Path workDir;

  @Test
  void measure() throws Exception {
    Map<String, String> results = new LinkedHashMap<>();
    for (String interval : System.getProperty("intervals", "off,1s,5s,10s,30s").split(",")) {
      results.put(
          interval,
          run(
              interval,
              interval.equals("off")
                  ? Map.of("stream-state.enabled", "false")
                  : Map.of("checkpoint.interval", interval)));
    }
    System.out.println("checkpoint.interval  batches  mean processing ms per batch");
    results.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-20s %s%n", k, v));
  }

  private String run(String name, Map<String, String> overrides) throws Exception {
    try (JobFixture f = new JobFixture(workDir.resolve(name), 2)) {
      f.promote(f.amountModel(180), "measurement");
      Random random = new Random(7);
      Instant start = Instant.parse("2018-04-01T00:00:00Z");
      for (int i = 0; i < TRANSACTIONS; i++) {
        String terminal = "T" + random.nextInt(3000);
        Transaction tx =
            Transaction.newBuilder()
                .setTransactionId("m" + i)
                .setEventTime(start.plusSeconds(20L * i))
                .setCustomerId("C" + random.nextInt(2000))
                .setTerminalId(terminal)
                .setAmount((500 + random.nextInt(20000)) / 100.0)
                .setCountry(COUNTRIES[Math.floorMod(terminal.hashCode(), COUNTRIES.length)])
                .build();
        f.send(
            f.services.topics().transactions(),
            tx.getCustomerId(),
            AvroCodec.TRANSACTION.encode(tx));
      }
      f.flush();
      Map<String, String> config = new LinkedHashMap<>(overrides);
      config.put("job.batch-interval", "1s");
      config.put("job.backpressure", "false");
      config.put("job.max-rate-per-partition", "500"); // 1,000 transactions per batch
      config.put("learning.enabled", "false");
      config.put("checkpoint.path", workDir.resolve(name).resolve("checkpoint").toString());
      ScoringJobRunner job = f.startJob(config);
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> f.view.taken(f.services.topics().transactions()) == TRANSACTIONS);
      String result = meanBatch(job);
      f.stopJob();
      return result;
    }
  }

  private static String meanBatch(ScoringJobRunner job) {
    for (MetricSnapshot m : job.metrics().registry().scrape()) {
      if (m.getMetadata().getPrometheusName().equals("fraudwatch_batch_processing_seconds")) {
        HistogramSnapshot.HistogramDataPointSnapshot p =
            ((HistogramSnapshot) m).getDataPoints().get(0);
        return String.format(
            Locale.ROOT, "%7d  %8.0f", p.getCount(), 1000 * p.getSum() / p.getCount());
      }
    }
    throw new IllegalStateException("no batch processing histogram");
  }
}
