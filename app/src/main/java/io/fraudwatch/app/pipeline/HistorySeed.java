package io.fraudwatch.app.pipeline;

import io.fraudwatch.features.handbook.HandbookRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes past transactions into the job's feature history table, as if the job had seen them. They
 * are not scored, so they have no scored rows and their labels are not in {@code labels}: each
 * history row carries its own (migration V70).
 */
public final class HistorySeed {
  private static final int CHUNK = 10_000;

  private HistorySeed() {}

  /**
   * Writes {@code rows} into the feature history, as if the job had scored them and their labels
   * had arrived one label delay later, so the first streamed transactions see full customer and
   * terminal windows. Idempotent (a row already there is kept).
   */
  public static void write(DataSource db, List<HandbookRow> rows, Duration labelDelay)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement history =
            c.prepareStatement(
                """
            INSERT INTO fraudwatch.transaction_history
                (transaction_id, customer_id, terminal_id, event_time, amount, fraud, label_known_at)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::numeric(14,2)[],
                ?::boolean[], ?::timestamptz[])
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
        history.setArray(1, c.createArrayOf("text", ids));
        history.setArray(2, c.createArrayOf("text", customerIds));
        history.setArray(3, c.createArrayOf("text", terminalIds));
        history.setArray(4, c.createArrayOf("text", times));
        history.setArray(5, c.createArrayOf("float8", amounts));
        history.setArray(6, c.createArrayOf("bool", fraud));
        history.setArray(7, c.createArrayOf("text", knownAt));
        history.executeUpdate();
      }
      c.commit();
    }
  }
}
