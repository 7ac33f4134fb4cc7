package io.fraudwatch.app.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * What the job's sessions and activity windows hold after a run: finished sessions, and the keys of
 * each window with the terminals whose alert rate jumped.
 */
public record StreamStateCounts(
    long sessions,
    long sessionCustomers,
    long terminals10m,
    long countries10m,
    long terminals1h,
    long countries1h,
    long alertRateJumps) {

  public static StreamStateCounts read(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                """
            SELECT (SELECT count(*) FROM fraudwatch.sessions),
                   (SELECT count(DISTINCT customer_id) FROM fraudwatch.sessions),
                   count(*) FILTER (WHERE window_seconds = 600 AND kind = 'terminal'),
                   count(*) FILTER (WHERE window_seconds = 600 AND kind = 'country'),
                   count(*) FILTER (WHERE window_seconds = 3600 AND kind = 'terminal'),
                   count(*) FILTER (WHERE window_seconds = 3600 AND kind = 'country'),
                   (SELECT count(*) FROM fraudwatch.terminal_alert_jumps)
            FROM fraudwatch.activity""")) {
      rs.next();
      return new StreamStateCounts(
          rs.getLong(1),
          rs.getLong(2),
          rs.getLong(3),
          rs.getLong(4),
          rs.getLong(5),
          rs.getLong(6),
          rs.getLong(7));
    }
  }

  /** The lines the demo adds to its summary. */
  public String table() {
    return String.format(
        Locale.ROOT,
        "  %-22s %,d finished, of %,d customers%n"
            + "  %-22s 10 min: %,d terminals, %,d countries; 1 h: %,d terminals, %,d countries%n"
            + "  %-22s %,d (fraudwatch.terminal_alert_jumps)%n",
        "sessions",
        sessions,
        sessionCustomers,
        "activity windows",
        terminals10m,
        countries10m,
        terminals1h,
        countries1h,
        "alert-rate jumps",
        alertRateJumps);
  }
}
