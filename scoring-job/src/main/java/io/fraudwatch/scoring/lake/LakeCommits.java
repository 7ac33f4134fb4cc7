package io.fraudwatch.scoring.lake;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code fraudwatch.lake_batches}: the committed attempts whose files are not published yet, and
 * the lock that makes one writer at a time work in a partition's staging directory. Everything in
 * the caller's transaction.
 */
final class LakeCommits {

  private LakeCommits() {}

  /**
   * Locks the Kafka partition's lake staging for the caller's transaction (an advisory lock: also
   * before the partition's first batch, which has no stored offset row to lock).
   */
  static void lock(Connection c, String jobName, String topic, int partition) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?), ?)")) {
      ps.setString(1, "fraudwatch lake " + jobName + " " + topic);
      ps.setInt(2, partition);
      ps.executeQuery().close();
    }
  }

  static void insert(Connection c, String jobName, LakeProtocol.Batch b) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.lake_batches (job_name, topic, kafka_partition, attempt, from_offset,"
                + " until_offset, event_dates, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindAttempt(ps, jobName, b);
      ps.setLong(5, b.fromOffset());
      ps.setLong(6, b.untilOffset());
      ps.setArray(7, c.createArrayOf("date", b.eventDates().stream().map(Date::valueOf).toArray()));
      ps.setLong(8, b.rows());
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, String jobName, LakeProtocol.Batch b) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM fraudwatch.lake_batches"
                + " WHERE job_name = ? AND topic = ? AND kafka_partition = ? AND attempt = ?")) {
      bindAttempt(ps, jobName, b);
      ps.executeUpdate();
    }
  }

  /** Parameters 1 to 4: the attempt's key (job, topic, partition, attempt). */
  private static void bindAttempt(PreparedStatement ps, String jobName, LakeProtocol.Batch b)
      throws SQLException {
    ps.setString(1, jobName);
    ps.setString(2, b.topic());
    ps.setInt(3, b.partition());
    ps.setString(4, b.attempt());
  }

  /** The committed, unpublished attempts of one partition, oldest first. */
  static List<LakeProtocol.Batch> pending(Connection c, String jobName, String topic, int partition)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT topic, kafka_partition, attempt, from_offset, until_offset, event_dates, rows"
                + " FROM fraudwatch.lake_batches WHERE job_name = ? AND topic = ? AND kafka_partition = ?"
                + " ORDER BY from_offset")) {
      ps.setString(1, jobName);
      ps.setString(2, topic);
      ps.setInt(3, partition);
      return read(ps);
    }
  }

  /** The partitions of {@code topic} with committed, unpublished attempts. */
  static List<Integer> pendingPartitions(Connection c, String jobName, String topic)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT kafka_partition FROM fraudwatch.lake_batches WHERE job_name = ? AND topic = ?")) {
      ps.setString(1, jobName);
      ps.setString(2, topic);
      List<Integer> partitions = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          partitions.add(rs.getInt(1));
        }
      }
      return partitions;
    }
  }

  private static List<LakeProtocol.Batch> read(PreparedStatement ps) throws SQLException {
    List<LakeProtocol.Batch> batches = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Array dates = rs.getArray(6);
        batches.add(
            new LakeProtocol.Batch(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                Arrays.stream((Object[]) dates.getArray())
                    .map(d -> ((Date) d).toLocalDate())
                    .toList(),
                rs.getLong(7)));
      }
    }
    return batches;
  }
}
