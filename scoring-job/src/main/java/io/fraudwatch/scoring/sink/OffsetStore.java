package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The Kafka positions a job resumes from, in {@code fraudwatch.stream_offsets}: per topic
 * partition, the next offset to read (the first not yet covered by stored output).
 */
public final class OffsetStore {

  private OffsetStore() {}

  /** Next offsets of {@code topic} by Kafka partition; partitions never written are absent. */
  public static Map<Integer, Long> load(DataSource dataSource, String jobName, String topic)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return load(c, jobName, topic);
    }
  }

  /** Next offsets of {@code topic} by Kafka partition; partitions never written are absent. */
  public static Map<Integer, Long> load(Connection c, String jobName, String topic)
      throws SQLException {
    Map<Integer, Long> offsets = new TreeMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT kafka_partition, next_offset FROM fraudwatch.stream_offsets WHERE job_name = ? AND topic = ?")) {
      ps.setString(1, jobName);
      ps.setString(2, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          offsets.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return offsets;
  }

  /**
   * Locks the partition's stored offset for the caller's transaction and checks that the batch
   * [{@code fromOffset}, {@code untilOffset}) continues it: the stored offset must be absent (first
   * batch), equal {@code fromOffset}, or equal {@code untilOffset} (the same batch again, whose
   * rows are already stored). Anything else means a batch in between was never stored, and writing
   * this one would skip it for good.
   *
   * @throws OffsetGapException when the batch does not continue the stored offset
   */
  public static void requireContinuous(
      Connection c,
      String jobName,
      String topic,
      int kafkaPartition,
      long fromOffset,
      long untilOffset)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT next_offset FROM fraudwatch.stream_offsets"
                + " WHERE job_name = ? AND topic = ? AND kafka_partition = ? FOR UPDATE")) {
      ps.setString(1, jobName);
      ps.setString(2, topic);
      ps.setInt(3, kafkaPartition);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long stored = rs.getLong(1);
          if (stored != fromOffset && stored != untilOffset) {
            throw new OffsetGapException(
                String.format(
                    "%s-%d: stored offset %d, but the batch covers [%d, %d);"
                        + " an earlier batch was not stored, or another scorer with this job.name"
                        + " stores this partition (run one per job.name): restart the job to"
                        + " resume from %d",
                    topic, kafkaPartition, stored, fromOffset, untilOffset, stored));
          }
        }
      }
    }
  }

  /** A batch does not continue the partition's stored offset. */
  public static final class OffsetGapException extends SQLException {
    public OffsetGapException(String message) {
      super(message);
    }
  }

  /**
   * Records that output up to (excluding) {@code nextOffset} of the partition is stored, in the
   * caller's transaction. The last write wins, also backwards (an operator's reset is a write too).
   */
  public static void save(
      Connection c,
      String jobName,
      String topic,
      int kafkaPartition,
      long nextOffset,
      Instant batchTime)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.stream_offsets (job_name, topic, kafka_partition, next_offset, batch_time)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (job_name, topic, kafka_partition)
        DO UPDATE SET next_offset = excluded.next_offset, batch_time = excluded.batch_time, updated_at = now()""")) {
      ps.setString(1, jobName);
      ps.setString(2, topic);
      ps.setInt(3, kafkaPartition);
      ps.setLong(4, nextOffset);
      ps.setObject(5, batchTime.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }
}
