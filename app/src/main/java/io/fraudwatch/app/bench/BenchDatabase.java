package io.fraudwatch.app.bench;

import io.fraudwatch.bench.BenchWorkload;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * What the bench itself writes to and reads from PostgreSQL: the seeded history, the reset between
 * systems, counts.
 */
public final class BenchDatabase {
  /**
   * Tables a system under test writes per transaction (besides its offsets), all with an
   * event_time.
   */
  private static final List<String> STREAM_TABLES =
      List.of("scored_transactions", "alerts", "transaction_history");

  private final DataSource db;
  private final DataSource owner;

  /**
   * @param db the job's login: seeds and counts
   * @param owner a login that may delete the bench's rows between systems (the job's may not): the
   *     embedded database's superuser, or for a configured database its configured login
   */
  public BenchDatabase(DataSource db, DataSource owner) {
    this.db = db;
    this.owner = owner;
  }

  /**
   * Writes the workload's history (labels known one label delay after each row); reports rows
   * written so far.
   */
  public void seedHistory(BenchWorkload workload, Duration labelDelay, LongConsumer progress)
      throws SQLException {
    BenchHistorySeed.write(db, workload, labelDelay, progress);
  }

  /**
   * Removes everything a system under test wrote from the stream's start on, and the job's stored
   * offsets, so the next system starts from the same tables (the seeded history only).
   */
  void resetStream(String jobName) throws SQLException {
    try (Connection c = owner.getConnection()) {
      c.setAutoCommit(false);
      for (String table : STREAM_TABLES) {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM fraudwatch." + table + " WHERE event_time >= ?")) {
          ps.setObject(1, BenchWorkload.START.atOffset(ZoneOffset.UTC));
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM fraudwatch.stream_offsets WHERE job_name = ?")) {
        ps.setString(1, jobName);
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw new CommandFailure(
            Cli.REFUSED,
            "the bench empties its tables between the two systems, which the"
                + " configured login may not do ("
                + e.getMessage()
                + "); against a configured database, point jdbc.user"
                + " at a sandbox database's owner",
            e);
      }
      throw e;
    }
  }

  /**
   * Stream positions {@code [from, to)} of the workload whose alert is stored, in ascending order.
   */
  long[] alertedPositions(BenchWorkload workload, long from, long to) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT transaction_id FROM fraudwatch.alerts WHERE event_time >= ? AND event_time"
                    + " <= ?")) {
      ps.setObject(1, workload.streamTime(from).atOffset(ZoneOffset.UTC));
      ps.setObject(2, workload.streamTime(to - 1).atOffset(ZoneOffset.UTC));
      LongStream.Builder positions = LongStream.builder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = workload.streamPosition(rs.getString(1));
          if (n >= from && n < to) {
            positions.add(n);
          }
        }
      }
      return positions.build().sorted().toArray();
    }
  }

  /** Rows with event times in {@code [from, to)} in the tables a system writes per transaction. */
  long rowsWritten(Instant from, Instant to) throws SQLException {
    long rows = 0;
    try (Connection c = db.getConnection()) {
      for (String table : STREAM_TABLES) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM fraudwatch."
                    + table
                    + " WHERE event_time >= ? AND event_time < ?")) {
          ps.setObject(1, from.atOffset(ZoneOffset.UTC));
          ps.setObject(2, to.atOffset(ZoneOffset.UTC));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            rows += rs.getLong(1);
          }
        }
      }
    }
    return rows;
  }
}
