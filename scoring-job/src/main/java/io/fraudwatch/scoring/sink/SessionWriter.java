package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.state.Session;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * Finished sessions into {@code fraudwatch.sessions}, once: a session is keyed by its customer and
 * start, and one written again (a retried task, a rebuild after a restart) is the same row.
 */
public final class SessionWriter {

  private SessionWriter() {}

  /** Inserts the sessions not stored yet, in the caller's transaction. */
  public static void write(Connection c, Collection<Session> sessions) throws SQLException {
    if (sessions.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.sessions (customer_id, session_start, session_end, transactions, amount,
            terminals, alerts)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (customer_id, session_start) DO NOTHING""")) {
      for (Session s : sessions) {
        ps.setString(1, s.customerId());
        ps.setObject(2, Instant.ofEpochMilli(s.startMs()).atOffset(ZoneOffset.UTC));
        ps.setObject(3, Instant.ofEpochMilli(s.endMs()).atOffset(ZoneOffset.UTC));
        ps.setInt(4, s.transactions());
        ps.setBigDecimal(5, BigDecimal.valueOf(s.amountCents(), 2));
        ps.setInt(6, s.terminals().size());
        ps.setInt(7, s.alerts());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
