package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.StreamCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition task that throws mid-partition, after Kafka confirmed its alerts and before
 * PostgreSQL committed its rows (a deferred trigger fails the commit, twice): Spark runs the task
 * again, which stores everything once and sends the alerts again (the topic is at-least-once, keyed
 * by transaction id).
 */
class TaskFailureIT {

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aTaskFailingBetweenTheAlertsAndTheCommitIsRunAgainAndStoresEverythingOnce()
      throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: every commit that stores alerts fails, until two have failed
      StreamChecks.promoteAmountChampion(f);
      f.databaseFaults().failCommits(2);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = StreamChecks.sendTransactions(f, "t", 2000, alerts);
      f.flush();

      // act
      f.startJob(Map.of());
      StreamChecks.awaitDrained(f, Duration.ofMinutes(3));

      // verify: the commits failed (and were run again), the job goes on, everything is stored once
      assertThat(f.databaseFaults().commitsSeen()).isGreaterThan(2);
      await().atMost(Duration.ofSeconds(30)).until(() -> !f.batches.isEmpty());
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
    }
  }
}
