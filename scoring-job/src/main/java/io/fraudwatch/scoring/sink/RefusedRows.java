package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the rows PostgreSQL refuses among rows that it refused together: writes them under a
 * savepoint, and when that is refused writes each half under its own, down to single rows. Every
 * write is rolled back (this only probes), so the caller writes the rest afterwards. With k refused
 * rows among n it takes about 2k log2(n) writes; it runs only after a refusal, never on the normal
 * path.
 */
final class RefusedRows {

  /** Writes rows in the caller's transaction. */
  @FunctionalInterface
  interface Write<T> {
    void write(List<T> rows) throws SQLException;
  }

  private RefusedRows() {}

  /**
   * @param c a connection in a transaction with nothing written yet (the caller rolled back the
   *     refused write)
   * @return the rows refused on their own, in their order, each with the database's reason
   * @throws SQLException an error that is not a refusal of the data ({@link
   *     SqlStates#refusesData}), e.g. a lost connection
   */
  static <T> List<Refused<T>> find(Connection c, List<T> rows, Write<T> write) throws SQLException {
    List<Refused<T>> refused = new ArrayList<>();
    probe(c, rows, write, refused);
    return refused;
  }

  private static <T> void probe(
      Connection c, List<T> rows, Write<T> write, List<Refused<T>> refused) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Savepoint before = c.setSavepoint();
    try {
      write.write(rows);
      rollback(c, before);
    } catch (SQLException e) {
      if (!SqlStates.refusesData(e)) {
        throw e;
      }
      rollback(c, before);
      if (rows.size() == 1) {
        refused.add(Refused.of(rows.get(0), e));
        return;
      }
      int half = rows.size() / 2;
      probe(c, rows.subList(0, half), write, refused);
      probe(c, rows.subList(half, rows.size()), write, refused);
    }
  }

  private static void rollback(Connection c, Savepoint savepoint) throws SQLException {
    c.rollback(savepoint);
    c.releaseSavepoint(savepoint);
  }
}
