package io.fraudwatch.scoring.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * The SQL of partition maintenance and retention, each change in a short transaction of its own
 * that gives up after the lock timeout (SQLState {@value #LOCK_NOT_AVAILABLE}) instead of holding
 * the stream's writes queued behind it. Never called inside a streaming transaction.
 */
public final class PartitionMaintenance {

  /** SQLState of a statement that gave up waiting for a lock (lock_timeout). */
  public static final String LOCK_NOT_AVAILABLE = "55P03";

  /**
   * A day's partition of scored_transactions as {@code fraudwatch.ensure_partitions} names it: this
   * prefix, then the day as {@value #PARTITION_DAY_FORMAT} (PostgreSQL's {@code to_char}).
   */
  public static final String PARTITION_PREFIX = "scored_transactions_p";

  public static final String PARTITION_DAY_FORMAT = "YYYYMMDD";

  /** ensure_partitions refuses longer ranges. */
  static final int MAX_DAYS_PER_CALL = 366;

  private final DataSource db;
  private final Duration lockTimeout;

  public PartitionMaintenance(DataSource db, Duration lockTimeout) {
    this.db = db;
    this.lockTimeout = lockTimeout;
  }

  /** Days that have a partition of scored_transactions. */
  public SortedSet<LocalDate> existingDays() throws SQLException {
    SortedSet<LocalDate> days = new TreeSet<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                """
        SELECT to_date(substr(c.relname, length('%1$s') + 1), '%2$s')::text
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'fraudwatch.scored_transactions'::regclass
          AND c.relname ~ '^%1$s[0-9]{8}$'"""
                    .formatted(PARTITION_PREFIX, PARTITION_DAY_FORMAT))) {
      while (rs.next()) {
        days.add(LocalDate.parse(rs.getString(1)));
      }
      rollbackIfOpen(c);
    }
    return days;
  }

  /**
   * Rows per UTC day that wait in the DEFAULT partition (no partition for their day when they were
   * written).
   */
  public SortedMap<LocalDate, Long> defaultDays() throws SQLException {
    SortedMap<LocalDate, Long> days = new TreeMap<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                """
        SELECT (event_time AT TIME ZONE 'UTC')::date::text, count(*)
        FROM fraudwatch.scored_transactions_default GROUP BY 1""")) {
      while (rs.next()) {
        days.put(LocalDate.parse(rs.getString(1)), rs.getLong(2));
      }
      rollbackIfOpen(c);
    }
    return days;
  }

  /**
   * Creates the partitions of {@code days} that are missing (moving their rows out of DEFAULT), one
   * transaction per run of consecutive days; returns how many it created. A run that could not get
   * its locks in time throws, and the runs before it stay created.
   */
  public int ensure(SortedSet<LocalDate> days) throws SQLException {
    int created = 0;
    for (LocalDate[] run : runs(days)) {
      try (Connection c = db.getConnection()) {
        c.setAutoCommit(false);
        try {
          setLockTimeout(c);
          try (PreparedStatement ps =
              c.prepareStatement("SELECT fraudwatch.ensure_partitions(?, ?)")) {
            ps.setObject(1, run[0]);
            ps.setObject(2, run[1]);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              created += rs.getInt(1);
            }
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
    }
    return created;
  }

  /** Drops the partition of {@code day}; false when there was none. */
  public boolean drop(LocalDate day) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        setLockTimeout(c);
        boolean dropped;
        try (PreparedStatement ps = c.prepareStatement("SELECT fraudwatch.drop_partition(?)")) {
          ps.setObject(1, day);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            dropped = rs.getBoolean(1);
          }
        }
        c.commit();
        return dropped;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Rows of {@code table} older than {@code cutoff} (for a dry run). */
  public long countOlder(RetainedTable table, Instant cutoff) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM fraudwatch."
                    + table.deleteFrom()
                    + " WHERE "
                    + table.timeColumn()
                    + " < ?")) {
      ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        rollbackIfOpen(c);
        return n;
      }
    }
  }

  /**
   * Deletes the rows of {@code table} older than {@code cutoff}, {@code batch} rows per
   * transaction, so that no transaction holds many row locks or makes much WAL at once; reports the
   * running total after each batch.
   */
  public long deleteOlder(RetainedTable table, Instant cutoff, int batch, LongConsumer progress)
      throws SQLException {
    String t = "fraudwatch." + table.deleteFrom();
    String time = table.timeColumn();
    long total = 0;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM "
                  + t
                  + " WHERE ctid = ANY (ARRAY("
                  + "SELECT ctid FROM "
                  + t
                  + " WHERE "
                  + time
                  + " < ? LIMIT ?)) AND "
                  + time
                  + " < ?")) {
        while (true) {
          ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
          ps.setInt(2, batch);
          ps.setObject(3, cutoff.atOffset(ZoneOffset.UTC));
          int n = ps.executeUpdate();
          c.commit();
          total += n;
          if (n > 0) {
            progress.accept(total);
          }
          if (n < batch) {
            return total;
          }
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Whether {@code e} (or a cause) says a statement gave up waiting for a lock. */
  public static boolean lockTimedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && LOCK_NOT_AVAILABLE.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private void setLockTimeout(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
    }
  }

  private static void rollbackIfOpen(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }

  /** Consecutive days as [first, last] ranges, none longer than ensure_partitions accepts. */
  static List<LocalDate[]> runs(SortedSet<LocalDate> days) {
    List<LocalDate[]> runs = new ArrayList<>();
    LocalDate[] run = null;
    for (LocalDate day : days) {
      if (run != null
          && day.equals(run[1].plusDays(1))
          && run[0].plusDays(MAX_DAYS_PER_CALL - 1).isAfter(day)) {
        run[1] = day;
      } else {
        run = new LocalDate[] {day, day};
        runs.add(run);
      }
    }
    return runs;
  }
}
