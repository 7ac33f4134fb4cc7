package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.ReasonCode;
import io.fraudwatch.scoring.ScoredRows;
import io.fraudwatch.scoring.ScoredTransaction;
import io.fraudwatch.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Scored transactions for the sink tests, and queries to count what was stored. */
final class TestData {

  static final double THRESHOLD = 0.5;

  private TestData() {}

  /**
   * A scored transaction at {@code offset} of partition {@code partition}; it alerts when score >=
   * 0.5.
   */
  static ScoredTransaction scored(
      String id, Instant eventTime, double score, int partition, long offset) {
    return sinkRow(id, eventTime, score, partition, offset).build();
  }

  /** {@link #scored}'s row, for a test to change. */
  static ScoredRows.Builder sinkRow(
      String id, Instant eventTime, double score, int partition, long offset) {
    return ScoredRows.row(id, eventTime, offset)
        .customer("c-" + id.hashCode() % 7)
        .terminal("t-" + id.hashCode() % 5)
        .amount(42.10)
        .features(0.5, -1.25, 3.0, 1.0)
        .scored(score, 3L, THRESHOLD)
        .reasonCodes(
            new ReasonCode("TERMINAL_ID_RISK_7DAY_WINDOW", 2.31), new ReasonCode("TX_AMOUNT", 0.4))
        .partition(partition);
  }

  static long count(DataSource ds, String sql, Object... parameters) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Empties the tables as the superuser: the job's login may not delete. */
  static void deleteAll(DataSource job) throws SQLException {
    try (Connection c = SharedPostgres.superuserOf(job).getConnection();
        Statement s = c.createStatement()) {
      for (String table :
          List.of(
              "scored_transactions",
              "alerts",
              "labels",
              "transaction_history",
              "stream_offsets",
              "batch_metrics")) {
        s.execute("DELETE FROM fraudwatch." + table);
      }
    }
  }
}
