package io.fraudwatch.app.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** What the demo reads from PostgreSQL itself to sum up a run. */
public final class DemoDatabase {
  private final DataSource db;

  public DemoDatabase(DataSource db) {
    this.db = db;
  }

  /** Scored transactions with event times in {@code [from, to)}. */
  public long scored(Instant from, Instant to) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement st =
            c.prepareStatement(
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
    try (Connection c = db.getConnection();
        PreparedStatement st =
            c.prepareStatement(
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
    try (Connection c = db.getConnection();
        PreparedStatement st =
            c.prepareStatement(
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
