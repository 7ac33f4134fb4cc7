package io.fraudwatch.scoring.sink;

import io.fraudwatch.scoring.state.Activity;
import io.fraudwatch.scoring.state.ActivityKey;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * Keeps {@code fraudwatch.activity} equal to the job's sliding windows: the keys whose window
 * changed in a batch are upserted, those with nothing left deleted. Every statement states the new
 * value, so writing a batch's changes again changes nothing.
 */
public final class ActivityWriter {

  private ActivityWriter() {}

  /** A key's new window value; {@code activity} null when nothing is left of it in the window. */
  public record Change(ActivityKey key, Activity activity) implements java.io.Serializable {}

  /** Applies the changes in the caller's transaction. */
  public static void write(
      Connection c, int windowSeconds, Instant batchTime, Collection<Change> changes)
      throws SQLException {
    try (PreparedStatement upsert =
            c.prepareStatement(
                """
            INSERT INTO fraudwatch.activity (window_seconds, kind, key, transactions, alerts, amount, batch_time)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (window_seconds, kind, key) DO UPDATE SET transactions = excluded.transactions,
                alerts = excluded.alerts, amount = excluded.amount, batch_time = excluded.batch_time""");
        PreparedStatement delete =
            c.prepareStatement(
                "DELETE FROM fraudwatch.activity WHERE window_seconds = ? AND kind = ? AND key = ?")) {
      boolean upserts = false;
      boolean deletes = false;
      for (Change ch : changes) {
        if (ch.activity() == null) {
          delete.setInt(1, windowSeconds);
          delete.setString(2, ch.key().kind().column());
          delete.setString(3, ch.key().key());
          delete.addBatch();
          deletes = true;
        } else {
          Activity a = ch.activity();
          upsert.setInt(1, windowSeconds);
          upsert.setString(2, ch.key().kind().column());
          upsert.setString(3, ch.key().key());
          upsert.setLong(4, a.transactions());
          upsert.setLong(5, a.alerts());
          upsert.setBigDecimal(6, BigDecimal.valueOf(a.amountCents(), 2));
          upsert.setObject(7, batchTime.atOffset(ZoneOffset.UTC));
          upsert.addBatch();
          upserts = true;
        }
      }
      if (upserts) {
        upsert.executeBatch();
      }
      if (deletes) {
        delete.executeBatch();
      }
    }
  }

  /** Empties a window's rows (at start, before the rebuilt window is written whole). */
  public static void clear(Connection c, int windowSeconds) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM fraudwatch.activity WHERE window_seconds = ?")) {
      ps.setInt(1, windowSeconds);
      ps.executeUpdate();
    }
  }

  /** Records that the window's rows are complete up to {@code batchTime}. */
  public static void asOf(Connection c, int windowSeconds, Instant batchTime) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO fraudwatch.activity_windows (window_seconds, as_of) VALUES (?, ?)
        ON CONFLICT (window_seconds) DO UPDATE SET as_of = excluded.as_of""")) {
      ps.setInt(1, windowSeconds);
      ps.setObject(2, batchTime.atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }
}
