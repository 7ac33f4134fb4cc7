package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.state.Session;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * Finished sessions into {@code fraudwatch.sessions}, once: a session is keyed by its customer and
 * start, and one written again (a retried task, a rebuild after a restart) is the same row; the
 * customer's sessions never overlap.
 */
public final class SessionWriter {

  private SessionWriter() {}

  /**
   * Inserts the sessions not stored yet, in the caller's transaction. A session that overlaps one
   * of the customer's stored sessions is not stored: it was made of transactions that arrived after
   * their session had been written (late data), and the stored one stands.
   */
  public static void write(Connection c, Collection<Session> sessions) throws SQLException {
    if (sessions.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.sessions (customer_id, session_start, session_end, transactions, amount,
            terminals, alerts)
        SELECT ?, ?, ?, ?, ?, ?, ?
        WHERE NOT EXISTS (
            SELECT 1 FROM fraudwatch.sessions AS s
            WHERE s.customer_id = ? AND s.session_start <= ? AND s.session_end >= ?)
        ON CONFLICT (customer_id, session_start) DO NOTHING""")) {
      for (Session s : sessions) {
        OffsetDateTime start = Instant.ofEpochMilli(s.startMs()).atOffset(ZoneOffset.UTC);
        OffsetDateTime end = Instant.ofEpochMilli(s.endMs()).atOffset(ZoneOffset.UTC);
        ps.setString(1, s.customerId());
        ps.setObject(2, start);
        ps.setObject(3, end);
        ps.setInt(4, s.transactions());
        ps.setBigDecimal(5, BigDecimal.valueOf(s.amountCents(), 2));
        ps.setInt(6, s.terminals().size());
        ps.setInt(7, s.alerts());
        ps.setString(8, s.customerId());
        ps.setObject(9, end);
        ps.setObject(10, start);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
