package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver side: one running scorer per {@code job.name}. The scorer takes its job's row in {@code
 * fraudwatch.job_leases} before it reads a stored offset, renews it every {@link #RENEW_EVERY} from
 * a thread of its own and deletes it when it stops. A second scorer with the same name watches the
 * row: when it is renewed, its holder runs, and the second one is refused (exit 4) before it
 * changes anything. A holder that died stops renewing, and its row is taken once it is older than
 * {@link #TTL}, or at once when the holder ran in this scorer's process space (the same machine,
 * boot and pid namespace) and its process is gone (a supervisor's restart on the same machine does
 * not wait).
 *
 * <p>A lease lost while running (a renewal that finds the row gone or another holder's: this scorer
 * could not renew it for longer than the TTL, or an operator deleted it) fails the next batch, so
 * the job stops before it stores anything more; the offsets' check and idempotent writes store
 * nothing of two scorers' overlap twice (the alert topic may get an alert twice). A renewal that
 * cannot reach PostgreSQL is retried; the job's own writes wait for PostgreSQL as they do in any
 * outage. Times are the database's.
 */
final class JobLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobLease.class);

  /** How long a lease outlives its holder's last renewal. */
  static final Duration TTL = Duration.ofSeconds(30);

  static final Duration RENEW_EVERY = TTL.dividedBy(3);

  /** A lease statement that takes longer (a hung connection) fails, and is tried again. */
  private static final int QUERY_TIMEOUT_SECONDS = 5;

  /** How often a scorer waiting for a lease looks at its row. */
  private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

  /**
   * This scorer: a fresh id, its host, the process space its pid is in (the machine's boot and the
   * pid namespace: containers on one host share the boot, not the namespace; empty when unknown)
   * and its pid.
   */
  record Self(String id, String host, String space, long pid, LongPredicate processAlive) {
    static Self ofThisProcess() {
      return new Self(
          UUID.randomUUID().toString(),
          hostName(),
          processSpace(),
          ProcessHandle.current().pid(),
          pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static String processSpace() {
      try {
        return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()
            + " "
            + Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
      } catch (IOException | RuntimeException e) {
        return "";
      }
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "unknown";
      }
    }
  }

  /** A lease's row as read. */
  record Holder(
      String id, String host, String space, long pid, Instant acquiredAt, Instant renewedAt) {
    /** Whether this row names a process in this scorer's process space that is no longer there. */
    boolean goneFrom(Self self) {
      return !space.isEmpty()
          && space.equals(self.space())
          && pid != self.pid()
          && !self.processAlive().test(pid);
    }

    String describe() {
      return "host " + host + ", pid " + pid + ", since " + acquiredAt;
    }
  }

  /** What a waiting scorer does after looking at the row again. */
  enum Verdict {
    /** The holder's process is gone from this host: take the lease without waiting for it. */
    TAKE_OVER,
    /** Nothing says yet whether the holder runs: look again. */
    WAIT,
    /** The holder renewed its lease (or another one took it) while this scorer watched. */
    REFUSE
  }

  /**
   * The decision after a look: {@code first} is the row as first seen, {@code now} as seen now. An
   * expired row is no case here: taking it is tried before each look.
   */
  static Verdict judge(Holder first, Holder now, Self self) {
    if (now.goneFrom(self)) {
      return Verdict.TAKE_OVER;
    }
    boolean renewed = !now.id().equals(first.id()) || now.renewedAt().isAfter(first.renewedAt());
    return renewed ? Verdict.REFUSE : Verdict.WAIT;
  }

  private final DataSource db;
  private final String jobName;
  private final Self self;
  private final ScheduledExecutorService renewals;
  private volatile String lost;
  private volatile boolean unreachable;
  private boolean letGo;

  private JobLease(DataSource db, String jobName, Self self) {
    this.db = db;
    this.jobName = jobName;
    this.self = self;
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fraudwatch-job-lease");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Takes the lease of {@code jobName} for {@code self}, waiting while its holder may have died (at
   * most the TTL), and starts renewing it.
   *
   * @throws CommandFailure (exit 4) when another scorer holds it and runs
   * @throws InterruptedException when {@code cancelled} says so while waiting
   */
  static JobLease acquire(DataSource db, String jobName, Self self, BooleanSupplier cancelled)
      throws SQLException, InterruptedException {
    JobLease lease = new JobLease(db, jobName, self);
    Holder first = null;
    String takeFrom = self.id();
    // an unrenewed lease expires within the TTL; past twice that, something else holds it up
    long deadline = System.nanoTime() + TTL.multipliedBy(2).toNanos();
    while (!lease.take(takeFrom)) {
      Optional<Holder> seen = lease.holder();
      if (seen.isEmpty()) {
        continue; // let go between the two statements
      }
      Holder now = seen.get();
      if (first == null) {
        first = now;
        LOG.info(
            "job.name {} is held by another scorer ({}); waiting up to {}s to see whether it runs",
            jobName,
            now.describe(),
            TTL.toSeconds());
      }
      Verdict verdict = System.nanoTime() > deadline ? Verdict.REFUSE : judge(first, now, self);
      switch (verdict) {
        case TAKE_OVER -> {
          LOG.info(
              "the scorer that held job.name {} ({}) is gone from this host: taking over",
              jobName,
              now.describe());
          takeFrom = now.id();
          continue;
        }
        case REFUSE ->
            throw new CommandFailure(
                Cli.REFUSED,
                "another scorer runs job.name "
                    + jobName
                    + " ("
                    + now.describe()
                    + "; its lease is renewed): run one scorer per"
                    + " job.name, so stop that one first or give this one another job.name");
        case WAIT -> {}
      }
      if (cancelled.getAsBoolean()) {
        throw new InterruptedException("stopped while waiting for the lease of " + jobName);
      }
      Thread.sleep(LOOK_EVERY.toMillis());
    }
    LOG.info("scorer {} holds job.name {}", self.id(), jobName);
    lease.renewals.scheduleWithFixedDelay(
        lease::renew, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return lease;
  }

  /**
   * Takes the row if it is absent, expired, or held by {@code holder} (this scorer's own id, or a
   * gone holder's).
   */
  private boolean take(String holder) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                INSERT INTO fraudwatch.job_leases AS l (job_name, holder, host, process_space, pid)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_name) DO UPDATE
                  SET holder = excluded.holder, host = excluded.host,
                      process_space = excluded.process_space, pid = excluded.pid,
                      acquired_at = now(), renewed_at = now()
                  WHERE l.renewed_at < now() - make_interval(secs => ?) OR l.holder = ?
                RETURNING holder""")) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, jobName);
      ps.setString(2, self.id());
      ps.setString(3, self.host());
      ps.setString(4, self.space());
      ps.setLong(5, self.pid());
      ps.setLong(6, TTL.toSeconds());
      ps.setString(7, holder);
      boolean taken;
      try (ResultSet rs = ps.executeQuery()) {
        taken = rs.next();
      }
      commit(c);
      return taken;
    }
  }

  private Optional<Holder> holder() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT holder, host, process_space, pid, acquired_at, renewed_at"
                    + " FROM fraudwatch.job_leases WHERE job_name = ?")) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, jobName);
      try (ResultSet rs = ps.executeQuery()) {
        Optional<Holder> h =
            rs.next()
                ? Optional.of(
                    new Holder(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6).toInstant()))
                : Optional.empty();
        commit(c);
        return h;
      }
    }
  }

  private void renew() {
    try {
      int renewed = onOwnRow("UPDATE fraudwatch.job_leases SET renewed_at = now()");
      if (unreachable) {
        unreachable = false;
        LOG.info("the lease of job.name {} is renewed again", jobName);
      }
      if (renewed == 0) {
        lost =
            "this scorer lost its lease of job.name "
                + jobName
                + " (it could not renew it for longer than "
                + TTL.toSeconds()
                + "s, and another scorer took it, or an operator deleted it): it stops, so that"
                + " one scorer runs the job";
        LOG.error(lost);
        renewals.shutdown();
      }
    } catch (SQLException | RuntimeException e) {
      if (!unreachable) {
        unreachable = true;
        LOG.warn("could not renew the lease of job.name {}: {}; retrying", jobName, e.toString());
      }
    }
  }

  /** Throws, ending the job, once the lease is lost; called at each batch's start. */
  void check() {
    String why = lost;
    if (why != null) {
      throw new LeaseLostException(why);
    }
  }

  /** The scorer no longer holds its job's lease. */
  static final class LeaseLostException extends IllegalStateException {
    LeaseLostException(String message) {
      super(message);
    }
  }

  /** Stops renewing and lets go of the lease, so that a restart takes it at once. */
  @Override
  public synchronized void close() {
    if (letGo) {
      return; // a runner stops once, and may be closed after
    }
    letGo = true;
    renewals.shutdownNow();
    try {
      // a renewal in flight must not run after the delete
      renewals.awaitTermination(QUERY_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      onOwnRow("DELETE FROM fraudwatch.job_leases");
    } catch (SQLException e) {
      LOG.warn(
          "could not let go of the lease of job.name {} ({}); the next scorer waits up to {}s for it",
          jobName,
          e.toString(),
          TTL.toSeconds());
    }
  }

  /**
   * Runs {@code statement} (an UPDATE or DELETE of the leases) on this scorer's own row, in a
   * transaction of its own; returns the rows it changed.
   */
  private int onOwnRow(String statement) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(statement + " WHERE job_name = ? AND holder = ?")) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, jobName);
      ps.setString(2, self.id());
      int changed = ps.executeUpdate();
      commit(c);
      return changed;
    }
  }

  /** Ends the statement's transaction, on a pool's connection (no auto-commit) or any other. */
  private static void commit(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  @Override
  public String toString() {
    return "the lease of job.name " + jobName;
  }
}
