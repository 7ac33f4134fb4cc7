package io.fraudwatch.app.triage;

import io.fraudwatch.app.runtime.PostgresDataSource;
import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.DatabaseSettings;
import io.fraudwatch.config.Secret;
import io.fraudwatch.features.Disposition;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The investigator's reads and writes: open alerts, and a review recorded in {@code
 * fraudwatch.alert_reviews} (who and when are the database's). Runs as {@code
 * jdbc.investigator-user}.
 */
public final class Triage {

  /** An alert nobody has reviewed yet. */
  public record OpenAlert(
      String transactionId,
      Instant eventTime,
      String customerId,
      String terminalId,
      BigDecimal amount,
      double score,
      double threshold,
      long modelVersion,
      List<String> reasonCodes,
      Instant alertedAt,
      boolean modelAlert) {}

  /**
   * A review as the database recorded it, and how many reviews the alert had before it.
   *
   * @param reviewedBy the database login (session_user)
   */
  public record Recorded(
      long reviewId,
      String transactionId,
      Disposition disposition,
      String reviewedBy,
      Instant reviewedAt,
      int earlierReviews) {}

  private Triage() {}

  /**
   * A connection as the investigator's login; exit 2 when no database is configured, 6 when the
   * login is refused.
   */
  public static Connection connect(DatabaseSettings db) {
    if (db.embedded()) {
      throw new CommandFailure(
          Cli.USAGE,
          "no database configured (jdbc.url is unset). Start one with `bin/fraudwatch dev-env` and"
              + " `source work/dev-env.sh` (it exports FRAUDWATCH_JDBC_URL, FRAUDWATCH_JDBC_INVESTIGATOR_USER and"
              + " FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD_FILE), or pass --config FILE or --set jdbc.url=...");
    }
    try {
      return PostgresDataSource.of(
              db.url().get(),
              db.investigatorUser(),
              db.investigatorPassword().map(Secret::reveal),
              db.tls(),
              "fraudwatch alerts")
          .getConnection();
    } catch (SQLException e) {
      boolean refused = e.getSQLState() != null && e.getSQLState().startsWith("28");
      throw new CommandFailure(
          refused ? Cli.ACCESS_DENIED : Cli.FAILURE,
          "cannot connect to PostgreSQL at "
              + db.redactedUrl().get()
              + " as "
              + db.investigatorUser()
              + ": "
              + e.getMessage()
              + (refused
                  ? ". Check jdbc.investigator-user and its password (jdbc.investigator-password-file or"
                      + " FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD) (docs/security.md)"
                  : ""),
          e);
    }
  }

  public static List<OpenAlert> open(Connection c, OpenAlertsFilter filter) throws SQLException {
    List<OpenAlert> alerts = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(filter.sql())) {
      List<Object> p = filter.parameters();
      for (int i = 0; i < p.size(); i++) {
        ps.setObject(i + 1, p.get(i) instanceof Instant t ? java.sql.Timestamp.from(t) : p.get(i));
      }
      try (ResultSet rs = denied(c, ps::executeQuery)) {
        while (rs.next()) {
          Array reasons = rs.getArray(9);
          alerts.add(
              new OpenAlert(
                  rs.getString(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getBigDecimal(5),
                  rs.getDouble(6),
                  rs.getDouble(7),
                  rs.getLong(8),
                  Arrays.asList((String[]) reasons.getArray()),
                  rs.getTimestamp(10).toInstant(),
                  rs.getBoolean(11)));
        }
      }
    }
    return alerts;
  }

  /**
   * Records a review; exit 3 when there is no alert for {@code transactionId}.
   *
   * @param c a connection in auto-commit mode
   */
  public static Recorded review(
      Connection c, String transactionId, Disposition disposition, String note)
      throws SQLException {
    int earlier;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM fraudwatch.alert_reviews WHERE transaction_id = ?")) {
      ps.setString(1, transactionId);
      try (ResultSet rs = denied(c, ps::executeQuery)) {
        rs.next();
        earlier = rs.getInt(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fraudwatch.alert_reviews (transaction_id, disposition, note) VALUES (?, ?, ?)"
                + " RETURNING review_id, reviewed_by, reviewed_at")) {
      ps.setString(1, transactionId);
      ps.setString(2, disposition.sqlName());
      ps.setString(3, note);
      try (ResultSet rs = denied(c, ps::executeQuery)) {
        rs.next();
        return new Recorded(
            rs.getLong(1),
            transactionId,
            disposition,
            rs.getString(2),
            rs.getTimestamp(3).toInstant(),
            earlier);
      }
    } catch (SQLException e) {
      if ("23503".equals(e.getSQLState())) {
        throw new CommandFailure(Cli.NOT_FOUND, "no alert for transaction " + transactionId, e);
      }
      throw e;
    }
  }

  private interface Query {
    ResultSet run() throws SQLException;
  }

  /**
   * A login that is not an investigator (refused: 42501; or read-only like the analyst's: 25006)
   * gets exit 6, naming the role it lacks.
   */
  private static ResultSet denied(Connection c, Query q) throws SQLException {
    try {
      return q.run();
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState()) || "25006".equals(e.getSQLState())) {
        throw new CommandFailure(
            Cli.ACCESS_DENIED,
            "PostgreSQL login "
                + c.getMetaData().getUserName()
                + " may not do this: "
                + e.getMessage()
                + ". Triage needs a member of role fraudwatch_investigator (jdbc.investigator-user,"
                + " docs/security.md)",
            e);
      }
      throw e;
    }
  }
}
