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
 * PostgreSQL going away under the running job, as a real server does: stopped for 30 s and started
 * again on the same port and data directory, and the job's backends ended with {@code
 * pg_terminate_backend}. The job waits (the stream lags), logs the outage once, counts the retries
 * in its batch metrics, and catches up with everything stored once.
 */
class PostgresOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @TempDir Path workDir;

  @Test
  @Timeout(420)
  void aThirtySecondStopIsRiddenOutAndTheStreamCatchesUp() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2);
        CapturedLog log = new CapturedLog(Outage.class)) {
      // setup: a stream the job takes at 300 transactions/s
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = new HashSet<>(StreamChecks.sendTransactions(f, "a", 3000, alerts));
      f.flush();
      f.startJob(Map.of("job.max-rate-per-partition", "150", "job.backpressure", "false"));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> f.count("select count(*) from fraudwatch.scored_transactions") > 300);

      // act: PostgreSQL stops for 30 s while transactions keep arriving
      f.postgres().stop();
      sent.addAll(
          StreamChecks.sendTransactions(
              f, "b", 1000, StreamChecks.START.plus(Duration.ofDays(2)), alerts));
      f.flush();
      Thread.sleep(
          OUTAGE
              .toMillis()); // the outage's length is the fault injected, not a wait for a condition
      List<String> duringOutage = log.containing("PostgreSQL at");
      f.postgres().startAgain();
      StreamChecks.awaitDrained(f, Duration.ofMinutes(4));

      // verify
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
      assertThat(duringOutage)
          .as("logged once, not once per retry")
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith(
                          "WARN PostgreSQL at " + f.services.jdbcUrl() + " is unreachable"));
      assertThat(log.containing("is reachable again")).isNotEmpty();
      assertThat(f.count("select coalesce(sum(outage_retries), 0) from fraudwatch.batch_metrics"))
          .isPositive();
      assertThat(f.count("select coalesce(max(outage_wait_ms), 0) from fraudwatch.batch_metrics"))
          .isGreaterThan(OUTAGE.toMillis() / 2);
    }
  }

  @Test
  @Timeout(300)
  void killedBackendsAreRiddenOut() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = StreamChecks.sendTransactions(f, "t", 4000, alerts);
      f.flush();
      f.startJob(Map.of("job.max-rate-per-partition", "150", "job.backpressure", "false"));

      // act: end the job's backends three times while it writes
      long killed = 0;
      for (long scoredBefore : new long[] {400, 1400, 2400}) {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    f.count("select count(*) from fraudwatch.scored_transactions") > scoredBefore);
        killed += f.terminateJobBackends();
      }
      StreamChecks.awaitDrained(f, Duration.ofMinutes(3));

      // verify
      assertThat(killed).isPositive();
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
    }
  }
}
