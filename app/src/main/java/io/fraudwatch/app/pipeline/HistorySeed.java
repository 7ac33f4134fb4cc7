package io.fraudwatch.app.pipeline;

import io.fraudwatch.features.handbook.HandbookRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/** Writes past transactions into the job's feature history tables, as if the job had seen them. */
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
        PreparedStatement customers =
            c.prepareStatement(
                """
            INSERT INTO fraudwatch.customer_history (transaction_id, customer_id, event_time, amount)
            SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::numeric(14,2)[])
            ON CONFLICT (transaction_id) DO NOTHING""");
        PreparedStatement terminals =
            c.prepareStatement(
                """
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
}
