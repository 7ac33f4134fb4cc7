package io.fraudwatch.migrations;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Writes rows the way the scoring job does (idempotent inserts), for the ITs. */
final class TestRows {

  private TestRows() {}

  /**
   * Inserts a scored transaction unless it is already there; returns the number of rows written.
   */
  static int insertScored(Connection c, String transactionId, Instant eventTime)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.scored_transactions
            (transaction_id, event_time, customer_id, terminal_id, amount, features, score, model_version,
             alert, reason_codes, kafka_partition, kafka_offset, batch_time)
        VALUES (?, ?, 'c-1', 't-1', ?, ?, 0.93, 7, true, ?, 0, 41, ?)
        ON CONFLICT (transaction_id, event_time) DO NOTHING""")) {
      ps.setString(1, transactionId);
      ps.setTimestamp(2, Timestamp.from(eventTime));
      ps.setBigDecimal(3, new BigDecimal("57.16"));
      ps.setArray(4, c.createArrayOf("float8", new Double[] {0.4, -1.2, 1.0}));
      ps.setArray(5, c.createArrayOf("text", new String[] {"TERMINAL_FRAUD_RATE_7D"}));
      ps.setTimestamp(6, Timestamp.from(eventTime.plusSeconds(2)));
      return ps.executeUpdate();
    }
  }

  /** Inserts an alert unless one exists for the transaction; returns the number of rows written. */
  static int insertAlert(Connection c, String transactionId, Instant eventTime, double score)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.alerts
            (transaction_id, customer_id, terminal_id, amount, event_time, score, threshold, model_version,
             reason_codes)
        VALUES (?, 'c-1', 't-1', ?, ?, ?, 0.5, 7, ?)
        ON CONFLICT (transaction_id) DO NOTHING""")) {
      ps.setString(1, transactionId);
      ps.setBigDecimal(2, new BigDecimal("57.16"));
      ps.setTimestamp(3, Timestamp.from(eventTime));
      ps.setDouble(4, score);
      ps.setArray(5, c.createArrayOf("text", new String[] {"AMOUNT"}));
      return ps.executeUpdate();
    }
  }

  static void insertLabel(Connection c, String transactionId, boolean fraud) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.labels (transaction_id, fraud, known_at, source) VALUES (?, ?, now(), 'CHARGEBACK')
        ON CONFLICT (transaction_id) DO UPDATE SET fraud = excluded.fraud, known_at = excluded.known_at,
            source = excluded.source, received_at = now()""")) {
      ps.setString(1, transactionId);
      ps.setBoolean(2, fraud);
      ps.executeUpdate();
    }
  }
}
