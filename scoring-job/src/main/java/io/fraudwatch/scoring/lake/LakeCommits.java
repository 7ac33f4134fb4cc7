package io.fraudwatch.scoring.lake;

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
    execute(
        c,
        "SELECT pg_advisory_xact_lock(hashtext(?), ?)",
        "fraudwatch lake " + jobName + " " + topic,
        partition);
  }

  static void insert(Connection c, String jobName, LakeProtocol.Batch b) throws SQLException {
    execute(
        c,
        "INSERT INTO fraudwatch.lake_batches (job_name, topic, kafka_partition, attempt, from_offset,"
            + " until_offset, event_dates, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        jobName,
        b.topic(),
        b.partition(),
        b.attempt(),
        b.fromOffset(),
        b.untilOffset(),
        c.createArrayOf("date", b.eventDates().stream().map(Date::valueOf).toArray()),
        b.rows());
  }

  static void delete(Connection c, String jobName, LakeProtocol.Batch b) throws SQLException {
    execute(
        c,
        "DELETE FROM fraudwatch.lake_batches"
            + " WHERE job_name = ? AND topic = ? AND kafka_partition = ? AND attempt = ?",
        jobName,
        b.topic(),
        b.partition(),
        b.attempt());
  }

  /** The committed, unpublished attempts of one partition, oldest first. */
  static List<LakeProtocol.Batch> pending(Connection c, String jobName, String topic, int partition)
      throws SQLException {
    return query(
        c,
        "SELECT topic, kafka_partition, attempt, from_offset, until_offset, event_dates, rows"
            + " FROM fraudwatch.lake_batches WHERE job_name = ? AND topic = ? AND kafka_partition = ?"
            + " ORDER BY from_offset",
        rs ->
            new LakeProtocol.Batch(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                Arrays.stream((Object[]) rs.getArray(6).getArray())
                    .map(d -> ((Date) d).toLocalDate())
                    .toList(),
                rs.getLong(7)),
        jobName,
        topic,
        partition);
  }

  /** The partitions of {@code topic} with committed, unpublished attempts. */
  static List<Integer> pendingPartitions(Connection c, String jobName, String topic)
      throws SQLException {
    return query(
        c,
        "SELECT DISTINCT kafka_partition FROM fraudwatch.lake_batches WHERE job_name = ? AND topic = ?",
        rs -> rs.getInt(1),
        jobName,
        topic);
  }

  /** One row of a result. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs {@code sql} with {@code parameters} bound in order. */
  private static void execute(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, parameters)) {
      ps.execute();
    }
  }

  private static <T> List<T> query(
      Connection c, String sql, RowReader<T> reader, Object... parameters) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, parameters);
        ResultSet rs = ps.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
      return rows;
    }
  }

  /** Strings, numbers and SQL arrays bind as setString, setInt, setLong and setArray would. */
  private static PreparedStatement prepare(Connection c, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }
}
