package io.fraudwatch.app.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Faults injected in PostgreSQL as its superuser, where the job's login could not cause them:
 * commits that fail or hang after Kafka confirmed the partition's alerts (deferred constraint
 * triggers on {@code alerts}, which run at commit, after the alerts were sent), a lock on the
 * alerts table, ended backends, a constraint the validation does not know of.
 */
public final class DatabaseFaults {
  private final DataSource superuser;
  private final String jobUser;

  public DatabaseFaults(DataSource superuser, String jobUser) {
    this.superuser = superuser;
    this.jobUser = jobUser;
  }

  public void execute(String... statements) throws SQLException {
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  public long count(String sql) throws SQLException {
    try (Connection c = superuser.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The next {@code n} commits that store alerts fail (SQLState XX000), after Kafka confirmed their
   * alerts.
   */
  public void failCommits(int n) throws SQLException {
    execute(
        "CREATE SEQUENCE IF NOT EXISTS public.fault_commits",
        "ALTER SEQUENCE public.fault_commits RESTART",
        "GRANT SELECT ON SEQUENCE public.fault_commits TO PUBLIC",
        """
        CREATE OR REPLACE FUNCTION fraudwatch.fail_commits() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
          IF nextval('public.fault_commits') <= %d THEN
            RAISE EXCEPTION 'injected fault at commit' USING ERRCODE = 'XX000';
          END IF;
          RETURN NULL;
        END $$"""
            .formatted(n),
        """
        CREATE CONSTRAINT TRIGGER fail_commits AFTER INSERT ON fraudwatch.alerts
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fraudwatch.fail_commits()""");
  }

  /** How many commits reached the trigger of {@link #failCommits} (failed ones included). */
  public long commitsSeen() throws SQLException {
    return count("select case when is_called then last_value else 0 end from public.fault_commits");
  }

  public void stopFailingCommits() throws SQLException {
    execute("DROP TRIGGER IF EXISTS fail_commits ON fraudwatch.alerts");
  }

  /**
   * Every commit that stores alerts hangs at commit (an hour's {@code pg_sleep}, once per
   * transaction), after Kafka confirmed the alerts: {@link #backendsInCommitWindow} sees it there.
   */
  public void holdCommits() throws SQLException {
    execute(
        """
        CREATE OR REPLACE FUNCTION fraudwatch.hold_commit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
          IF current_setting('fraudwatch.held', true) IS DISTINCT FROM 'yes' THEN
            PERFORM set_config('fraudwatch.held', 'yes', true);
            PERFORM pg_sleep(3600);
          END IF;
          RETURN NULL;
        END $$""",
        """
        CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON fraudwatch.alerts
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fraudwatch.hold_commit()""");
  }

  /** The job's backends sleeping in {@link #holdCommits}' trigger, at commit. */
  public long backendsInCommitWindow() throws SQLException {
    return count(
        "select count(*) from pg_stat_activity where usename = '"
            + jobUser
            + "' and wait_event = 'PgSleep'");
  }

  /** Ends the held transactions (their client is gone: they roll back) and drops the hold. */
  public long releaseHeldCommits() throws SQLException {
    // first: the held transactions lock the table against the DROP
    long ended =
        count(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where usename = '"
                + jobUser
                + "' and wait_event = 'PgSleep'");
    execute("DROP TRIGGER IF EXISTS hold_commit ON fraudwatch.alerts");
    return ended;
  }

  /** Ends every backend of the job's login (pg_terminate_backend); returns how many. */
  public long terminateJobBackends() throws SQLException {
    return count(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE usename = '"
            + jobUser
            + "' AND pid <> pg_backend_pid()");
  }

  /**
   * Holds an ACCESS EXCLUSIVE lock on the alerts table until the returned connection is closed
   * (rolled back).
   */
  public Connection lockAlerts() throws SQLException {
    Connection c = superuser.getConnection();
    try {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("LOCK TABLE fraudwatch.alerts IN ACCESS EXCLUSIVE MODE");
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
