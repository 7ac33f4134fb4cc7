package io.fraudwatch.app.backtest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;

/** What a backtest reads from PostgreSQL itself: the job's scored rows. */
public final class BacktestDatabase {
  private static final int FETCH_SIZE = 10_000;

  private final DataSource db;

  public BacktestDatabase(DataSource db) {
    this.db = db;
  }

  /**
   * Scored transactions with event times in {@code [from, to)}, in event-time order.
   *
   * @param staticModel scores a row's stored raw features as the static (bootstrap) model does
   */
  public List<ScoredRow> scored(Instant from, Instant to, ToDoubleFunction<double[]> staticModel)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
      try (PreparedStatement st =
          c.prepareStatement(
              """
          SELECT transaction_id, event_time, score, model_version, challenger_score, challenger_version, alert, features
          FROM fraudwatch.scored_transactions WHERE event_time >= ? AND event_time < ?
          ORDER BY event_time, transaction_id""")) {
        st.setFetchSize(FETCH_SIZE);
        st.setObject(1, utc(from));
        st.setObject(2, utc(to));
        List<ScoredRow> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            double challenger = rs.getDouble(5);
            OptionalDouble challengerScore =
                rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(challenger);
            long challengerId = rs.getLong(6);
            OptionalLong challengerVersion =
                rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(challengerId);
            rows.add(
                new ScoredRow(
                    rs.getString(1),
                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getDouble(3),
                    rs.getLong(4),
                    challengerScore,
                    challengerVersion,
                    rs.getBoolean(7),
                    staticModel.applyAsDouble(features(rs.getArray(8)))));
          }
        }
        c.commit();
        return rows;
      }
    }
  }

  private static double[] features(java.sql.Array array) throws SQLException {
    Double[] boxed = (Double[]) array.getArray();
    double[] x = new double[boxed.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = boxed[i];
    }
    return x;
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
