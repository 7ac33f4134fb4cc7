package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.state.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back what a batch stored of the transactions it read: the scored rows of those ids that
 * carry the batch's time. Records that became dead letters, and repeats of transactions stored by
 * an earlier batch, are not among them, so the result is what the batch added to the scored log;
 * reading it again gives the same rows.
 */
public final class StoredEventReader {

  private StoredEventReader() {}

  /** A transaction read from Kafka: its key in the scored log and its country (or null). */
  public record Read(String transactionId, Instant eventTime, String country) {}

  public static List<StoredEvent> read(Connection c, Instant batchTime, List<Read> reads)
      throws SQLException {
    if (reads.isEmpty()) {
      return List.of();
    }
    // a record delivered twice in the batch is one stored row
    Map<String, Read> unique = new LinkedHashMap<>();
    reads.forEach(r -> unique.putIfAbsent(r.transactionId() + "@" + r.eventTime(), r));
    Map<String, String> countries = new HashMap<>();
    String[] ids = new String[unique.size()];
    Timestamp[] times = new Timestamp[unique.size()];
    int i = 0;
    for (Read r : unique.values()) {
      ids[i] = r.transactionId();
      times[i++] = Timestamp.from(r.eventTime());
      countries.put(r.transactionId(), r.country());
    }
    List<StoredEvent> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT s.transaction_id, s.customer_id, s.terminal_id, s.event_time, s.amount, s.alert
        FROM unnest(?::text[], ?::timestamptz[]) AS k(transaction_id, event_time)
        JOIN fraudwatch.scored_transactions AS s
          ON s.transaction_id = k.transaction_id AND s.event_time = k.event_time
        WHERE s.batch_time = ?""")) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("timestamptz", times));
      ps.setObject(3, batchTime.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String country = countries.get(rs.getString(1));
          out.add(
              new StoredEvent(
                  rs.getString(2),
                  rs.getString(3),
                  country == null || country.isBlank() ? StoredEvent.UNKNOWN_COUNTRY : country,
                  rs.getTimestamp(4).toInstant().toEpochMilli(),
                  StoredEvent.cents(rs.getBigDecimal(5)),
                  rs.getBoolean(6)));
        }
      }
    }
    c.rollback(); // read only: end the transaction
    return out;
  }
}
