package io.fraudwatch.deploy.demo;

import io.fraudwatch.features.handbook.HandbookRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** What the demo writes to and reads from PostgreSQL itself (everything else is the job's and the model store's). */
public final class DemoDatabase {
  private static final int CHUNK = 10_000;

  private final DataSource db;

  public DemoDatabase(DataSource db) {
    this.db = db;
  }

  /**
   * Writes the bootstrap days into the feature history, as if the job had scored them and their labels had
   * arrived one label delay later, so the first streamed transactions see full customer and terminal windows.
   * Idempotent (a row already there is kept).
   */
  public void seedHistory(List<HandbookRow> rows, Duration labelDelay) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement customers = c.prepareStatement("""
            INSERT INTO fraudwatch.customer_history (transaction_id, customer_id, event_time, amount)
            SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::numeric(14,2)[])
            ON CONFLICT (transaction_id) DO NOTHING""");
        PreparedStatement terminals = c.prepareStatement("""
            INSERT INTO fraudwatch.terminal_history (transaction_id, terminal_id, event_time, fraud, label_known_at)
            SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::boolean[], ?::timestamptz[])
            ON CONFLICT (transaction_id) DO NOTHING""")) {
      c.setAutoCommit(false);
      for (int from = 0; from < rows.size(); from += CHUNK) {
        List<HandbookRow> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
        int n = chunk.size();
        String[] ids = new String[n];
        String[] customerIds = new String[n];
        String[] terminalIds = new String[n];
        // times as ISO-8601 text, cast in SQL: no driver time-zone conversion on the way
        String[] times = new String[n];
        Double[] amounts = new Double[n];
        Boolean[] fraud = new Boolean[n];
        String[] knownAt = new String[n];
        for (int i = 0; i < n; i++) {
          HandbookRow r = chunk.get(i);
          ids[i] = Long.toString(r.transactionId());
          customerIds[i] = r.customerId();
          terminalIds[i] = r.terminalId();
          times[i] = r.eventTime().toString();
          amounts[i] = r.amount();
          fraud[i] = r.fraud();
          knownAt[i] = r.eventTime().plus(labelDelay).toString();
        }
        Array idArray = c.createArrayOf("text", ids);
        Array timeArray = c.createArrayOf("text", times);
        customers.setArray(1, idArray);
        customers.setArray(2, c.createArrayOf("text", customerIds));
        customers.setArray(3, timeArray);
        customers.setArray(4, c.createArrayOf("float8", amounts));
        customers.executeUpdate();
        terminals.setArray(1, idArray);
        terminals.setArray(2, c.createArrayOf("text", terminalIds));
        terminals.setArray(3, timeArray);
        terminals.setArray(4, c.createArrayOf("bool", fraud));
        terminals.setArray(5, c.createArrayOf("text", knownAt));
        terminals.executeUpdate();
      }
      c.commit();
    }
  }

  /** Scored transactions with event times in {@code [from, to)}. */
  public long scored(Instant from, Instant to) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT count(*) FROM fraudwatch.scored_transactions WHERE event_time >= ? AND event_time < ?")) {
      st.setObject(1, utc(from));
      st.setObject(2, utc(to));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Alerts on transactions with event times in {@code [from, to)}. */
  public List<DemoSummary.Alert> alerts(Instant from, Instant to) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT transaction_id, reason_codes FROM fraudwatch.alerts WHERE event_time >= ? AND event_time < ?")) {
      st.setObject(1, utc(from));
      st.setObject(2, utc(to));
      List<DemoSummary.Alert> alerts = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String[] codes = (String[]) rs.getArray(2).getArray();
          alerts.add(new DemoSummary.Alert(rs.getString(1), Arrays.asList(codes)));
        }
      }
      return alerts;
    }
  }

  /** Dead letters counted by the job's batches since {@code since} (batch time). */
  public long deadLetters(String jobName, Instant since) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT coalesce(sum(dead_letters), 0) FROM fraudwatch.batch_metrics WHERE job_name = ? AND batch_time >= ?")) {
      st.setString(1, jobName);
      st.setObject(2, utc(since));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
