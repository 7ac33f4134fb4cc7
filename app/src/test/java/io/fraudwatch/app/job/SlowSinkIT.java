package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fraudwatch.app.chaos.StreamCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink that hangs rather than refuses: the alerts table locked (ACCESS EXCLUSIVE) for 20 s under
 * the running job. Nothing is stored meanwhile (the partitions' transactions wait on the lock), the
 * job does not fail, and once the lock goes it catches up with everything stored once.
 */
class SlowSinkIT {
  private static final Duration LOCKED = Duration.ofSeconds(20);

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aLockedAlertsTableHoldsTheStreamBackAndItCatchesUpOnceReleased() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: a running job with its first transactions stored
      StreamChecks.promoteAmountChampion(f);
      Set<String> alerts = new HashSet<>();
      Set<String> sent = new HashSet<>(StreamChecks.sendTransactions(f, "a", 500, alerts));
      f.flush();
      f.startJob(Map.of());
      StreamChecks.awaitDrained(f, Duration.ofMinutes(2));

      // act: the table locked while more transactions arrive
      long storedMeanwhile;
      try (Connection lock = f.databaseFaults().lockAlerts()) {
        sent.addAll(
            StreamChecks.sendTransactions(
                f, "b", 1000, StreamChecks.START.plus(Duration.ofDays(2)), alerts));
        f.flush();
        Thread.sleep(LOCKED.toMillis()); // how long the lock is held is the fault injected
        storedMeanwhile = f.view.scored() - 500;
        lock.rollback();
      }
      StreamChecks.awaitDrained(f, Duration.ofMinutes(2));

      // verify
      assertThat(storedMeanwhile)
          .as("transactions stored while the alerts table was locked")
          .isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> !f.batches.isEmpty());
      StreamChecks.assertExactlyOnce(f, new StreamCheck.Expected(sent, alerts, Set.of()), 0);
    }
  }
}
