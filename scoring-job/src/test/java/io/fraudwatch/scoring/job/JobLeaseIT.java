package io.fraudwatch.scoring.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.embedded.EmbeddedPostgresServer;
import io.fraudwatch.scoring.job.JobLease.Self;
import io.fraudwatch.scoring.sink.JobDatabase;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedPostgres.class)
class JobLeaseIT {
  private static DataSource job;
  private static DataSource operator;

  @BeforeAll
  static void database(EmbeddedPostgresServer server) throws SQLException {
    job = JobDatabase.create(server, "job_lease_it");
    operator = JobDatabase.operator(server, "job_lease_it");
  }

  /** A scorer on {@code host}, each host a process space of its own. */
  private static Self scorer(String host, long pid, boolean othersAlive) {
    return new Self(UUID.randomUUID().toString(), host, "boot " + host, pid, p -> othersAlive);
  }

  private static String holderOf(String jobName) throws SQLException {
    try (Connection c = job.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT holder FROM fraudwatch.job_leases WHERE job_name = '" + jobName + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aSecondScorerOfARunningJobIsRefusedOnceItSeesTheLeaseRenewed() throws Exception {
    Self first = scorer("node-a", 1, true);
    try (JobLease held = JobLease.acquire(job, "running", first, () -> false)) {
      long started = System.nanoTime();

      assertThatThrownBy(
              () -> JobLease.acquire(job, "running", scorer("node-b", 2, true), () -> false))
          .isInstanceOf(CommandFailure.class)
          .hasMessageContaining("another scorer runs job.name running (host node-a, pid 1")
          .hasMessageContaining("run one scorer per job.name")
          .satisfies(e -> assertThat(((CommandFailure) e).exitCode()).isEqualTo(Cli.REFUSED));

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("refused after one renewal, long before the lease could expire")
          .isLessThan(JobLease.TTL);
      assertThat(holderOf("running")).isEqualTo(first.id());
      held.check(); // the holder is unaffected
    }
    assertThat(holderOf("running")).as("let go at close").isNull();
  }

  @Test
  void aLeaseWhoseHolderStoppedRenewingIsWaitedForAndTakenOnceExpired() throws Exception {
    // a holder on another host that last renewed 25 s ago and is gone: it renews no more
    try (Connection c = job.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO fraudwatch.job_leases (job_name, holder, host, process_space, pid,"
              + " renewed_at) VALUES ('expired', '"
              + UUID.randomUUID()
              + "', 'node-a', 'boot node-a', 1, now() - interval '25 seconds')");
    }
    Self next = scorer("node-b", 2, true);
    long started = System.nanoTime();

    try (JobLease taken = JobLease.acquire(job, "expired", next, () -> false)) {
      assertThat(holderOf("expired")).isEqualTo(next.id());
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("taken once 30 s had passed since the holder's last renewal")
          .isGreaterThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aHolderWhoseProcessIsGoneFromThisHostIsTakenOverWithoutWaiting() throws Exception {
    Self crashed = scorer("node-a", 1, true);
    JobLease abandoned = JobLease.acquire(job, "crashed", crashed, () -> false);
    Self restarted =
        new Self(UUID.randomUUID().toString(), "node-a", "boot node-a", 2, p -> false); // 1 is gone
    long started = System.nanoTime();

    try (JobLease taken = JobLease.acquire(job, "crashed", restarted, () -> false)) {
      assertThat(holderOf("crashed")).isEqualTo(restarted.id());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(JobLease.RENEW_EVERY);
    } finally {
      abandoned.close();
    }
  }

  @Test
  void aScorerWhoseLeaseWasDeletedFailsItsNextBatch() throws Exception {
    try (JobLease held = JobLease.acquire(job, "deleted", scorer("node-a", 1, true), () -> false)) {
      try (Connection c = operator.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DELETE FROM fraudwatch.job_leases WHERE job_name = 'deleted'");
      }

      long deadline = System.nanoTime() + JobLease.TTL.toNanos();
      Throwable lost = null;
      while (lost == null && System.nanoTime() < deadline) {
        try {
          held.check();
          Thread.sleep(100);
        } catch (JobLease.LeaseLostException e) {
          lost = e;
        }
      }
      assertThat(lost)
          .as("lost at the next renewal")
          .isNotNull()
          .hasMessageContaining("lost its lease of job.name deleted");
    }
  }

  @Test
  void waitingForALeaseEndsWhenTheScorerIsStopped() throws Exception {
    try (JobLease held = JobLease.acquire(job, "stopped", scorer("node-a", 1, true), () -> false)) {
      assertThatThrownBy(
              () -> JobLease.acquire(job, "stopped", scorer("node-b", 2, true), () -> true))
          .isInstanceOf(InterruptedException.class);
    }
  }
}
