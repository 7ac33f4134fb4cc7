package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.StreamCheck;
import io.fraudwatch.scoring.outage.Outage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped for 30 s under the running job and started again on the same port and log
 * directory: the driver's offset lookups, the executors' reads and the alert sends wait for it, the
 * outage is logged once, and the job catches up with every transaction stored once and every alert
 * on the topic.
 */
class KafkaOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @TempDir Path workDir;

  @Test
  @Timeout(420)
  void aThirtySecondBrokerStopIsRiddenOutAndTheStreamCatchesUp() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2);
        CapturedLog log = new CapturedLog(Outage.class)) {
      // setup: 6,000 transactions the job takes at 300/s
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = StreamChecks.sendTransactions(f, "t", 6000, alerts);
      f.flush();
      f.startJob(Map.of("job.max-rate-per-partition", "150", "job.backpressure", "false"));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> f.count("select count(*) from fraudwatch.scored_transactions") > 600);

      // act
      f.kafka().stop();
      Thread.sleep(
          OUTAGE
              .toMillis()); // the outage's length is the fault injected, not a wait for a condition
      List<String> duringOutage = log.containing("Kafka at");
      long scoredDuringOutage = f.count("select count(*) from fraudwatch.scored_transactions");
      f.kafka().startAgain();
      StreamChecks.awaitDrained(f, Duration.ofMinutes(4));

      // verify
      assertThat(scoredDuringOutage).isLessThan(sent.size());
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
      assertThat(duringOutage)
          .as("logged once, not once per retry")
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith(
                          "WARN Kafka at " + f.services.kafkaBootstrap() + " is unreachable"));
      assertThat(f.count("select coalesce(sum(outage_retries), 0) from fraudwatch.batch_metrics"))
          .isPositive();
    }
  }
}
