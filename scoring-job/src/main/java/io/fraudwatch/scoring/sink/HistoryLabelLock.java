package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Orders the two writers of terminal_history labels. A partition writer copies a label into a new
 * terminal row from {@code labels} if it is there; a label writer sets the label on terminal rows
 * that are there. Run concurrently, neither sees the other's uncommitted rows and the label would
 * be lost. Partition writers take this transaction-scoped advisory lock shared (they do not block
 * each other), label writers exclusively, before reading: whichever comes second then sees what the
 * first committed.
 */
final class HistoryLabelLock {

  private static final String KEY = "hashtext('fraudwatch.terminal_history.labels')";

  private HistoryLabelLock() {}

  static void shared(Connection c) throws SQLException {
    execute(c, "SELECT pg_advisory_xact_lock_shared(" + KEY + ")");
  }

  static void exclusive(Connection c) throws SQLException {
    execute(c, "SELECT pg_advisory_xact_lock(" + KEY + ")");
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
