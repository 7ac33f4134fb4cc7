package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.state.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the job rebuilds its sessions and windows from at start: the scored log in PostgreSQL, which
 * holds exactly what the stored offsets cover.
 */
public final class StreamStateReader {

  private StreamStateReader() {}

  /**
   * Every customer's transactions after the end of their last stored session, in customer and event
   * time order: the sessions that were open (or finished but not yet written) when the job stopped.
   * The country is not in the scored log, and sessions do not need it.
   */
  public static void openSessionEvents(Connection c, Consumer<StoredEvent> each)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT s.customer_id, s.terminal_id, s.event_time, s.amount, s.alert
        FROM fraudwatch.scored_transactions AS s
        LEFT JOIN (SELECT customer_id, max(session_end) AS last_end FROM fraudwatch.sessions GROUP BY customer_id)
          AS l ON l.customer_id = s.customer_id
        WHERE l.last_end IS NULL OR s.event_time > l.last_end
        ORDER BY s.customer_id, s.event_time""")) {
      ps.setFetchSize(10_000); // a cursor: the rows are streamed, not held
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          each.accept(
              new StoredEvent(
                  rs.getString(1),
                  rs.getString(2),
                  StoredEvent.UNKNOWN_COUNTRY,
                  rs.getTimestamp(3).toInstant().toEpochMilli(),
                  StoredEvent.cents(rs.getBigDecimal(4)),
                  rs.getBoolean(5)));
        }
      }
    } finally {
      c.rollback();
    }
  }

  /** The Kafka offsets one batch stored from one partition: [{@code from}, {@code until}). */
  public record BatchRange(Instant batchTime, int partition, long from, long until) {}

  /** The ranges of the batches after {@code since}, from the scored log, oldest first. */
  public static List<BatchRange> batchRanges(Connection c, Instant since) throws SQLException {
    List<BatchRange> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT batch_time, kafka_partition, min(kafka_offset), max(kafka_offset) + 1
        FROM fraudwatch.scored_transactions
        WHERE batch_time > ?
        GROUP BY batch_time, kafka_partition
        ORDER BY batch_time, kafka_partition""")) {
      ps.setObject(1, since.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new BatchRange(
                  rs.getTimestamp(1).toInstant(), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    } finally {
      c.rollback();
    }
    return out;
  }
}
