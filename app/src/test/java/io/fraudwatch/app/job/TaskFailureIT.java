package io.fraudwatch.app.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition task that throws mid-partition, after Kafka confirmed its alerts and before PostgreSQL committed its
 * rows (a deferred trigger fails the commit, twice): Spark runs the task again, which stores everything once and
 * sends the alerts again (the topic is at-least-once, keyed by transaction id).
 */
class TaskFailureIT {

  @TempDir Path workDir;

  @Test
  @Timeout(300)
  void aTaskFailingBetweenTheAlertsAndTheCommitIsRunAgainAndStoresEverythingOnce() throws Exception {
    try (JobFixture f = new JobFixture(workDir, 2)) {
      // setup: every commit that stores alerts fails, until two have failed
      StreamChecks.promoteAmountChampion(f);
      f.asSuperuser(
          "CREATE SEQUENCE fault_commits",
          "GRANT SELECT ON SEQUENCE fault_commits TO PUBLIC",
          """
          CREATE FUNCTION fraudwatch.fail_two_commits() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
          BEGIN
            IF nextval('public.fault_commits') <= 2 THEN
              RAISE EXCEPTION 'injected fault at commit' USING ERRCODE = 'XX000';
            END IF;
            RETURN NULL;
          END $$""",
          """
          CREATE CONSTRAINT TRIGGER fail_two_commits AFTER INSERT ON fraudwatch.alerts
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fraudwatch.fail_two_commits()""");
      Set<String> alerts = new HashSet<>();
      Set<String> sent = StreamChecks.sendTransactions(f, "t", 2000, alerts);
      f.flush();

      // act
      f.startJob(Map.of());
      StreamChecks.awaitDrained(f, Duration.ofMinutes(3));

      // verify: the commits failed (and were run again), the job goes on, everything is stored once
      assertThat(f.count("select last_value from public.fault_commits")).isGreaterThan(2);
      await().atMost(Duration.ofSeconds(30)).until(() -> !f.batches.isEmpty());
      StreamChecks.assertExactlyOnce(f, new StreamChecks.Expected(sent, alerts, Set.of()), 0);
    }
  }
}
