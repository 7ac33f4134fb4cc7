package io.fraudwatch.models.training;

import io.fraudwatch.features.handbook.HandbookRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Labelled history from the product's own tables: every scored transaction in a time range with its
 * label where one is known. Rows get ids in replay order (event time, then transaction id), since
 * the card network's ids are text.
 */
public final class DatabaseHistory {
  private DatabaseHistory() {}

  public static LabelledHistory load(DataSource dataSource, Instant from, Instant toExclusive)
      throws SQLException {
    List<HandbookRow> rows = new ArrayList<>();
    Set<Long> unlabelled = new HashSet<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT t.event_time, t.customer_id, t.terminal_id, "
                    + "t.amount::float8 AS amount, l.fraud FROM fraudwatch.scored_transactions t "
                    + "LEFT JOIN fraudwatch.labels l ON l.transaction_id = t.transaction_id "
                    + "WHERE t.event_time >= ? AND t.event_time < ? ORDER BY t.event_time, t.transaction_id")) {
      c.setReadOnly(true);
      ps.setObject(1, from.atOffset(ZoneOffset.UTC));
      ps.setObject(2, toExclusive.atOffset(ZoneOffset.UTC));
      ps.setFetchSize(10_000);
      c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rows.size();
          boolean fraud = rs.getBoolean("fraud");
          if (rs.wasNull()) {
            unlabelled.add(id);
          }
          rows.add(
              new HandbookRow(
                  id,
                  rs.getObject("event_time", OffsetDateTime.class).toInstant(),
                  rs.getString("customer_id"),
                  rs.getString("terminal_id"),
                  rs.getDouble("amount"),
                  fraud,
                  0));
        }
      } finally {
        c.rollback();
      }
    }
    return new LabelledHistory(
        rows,
        unlabelled,
        "database fraudwatch.scored_transactions "
            + from
            + ".."
            + toExclusive
            + " ("
            + rows.size()
            + " transactions, "
            + (rows.size() - unlabelled.size())
            + " labelled)");
  }
}
