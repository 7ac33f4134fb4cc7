package io.fraudwatch.scoring.sink;

import java.sql.Connection;
import java.sql.SQLException;

final class CallerTransaction {

  private CallerTransaction() {}

  /** The writers' atomicity rests on the caller's transaction: refuse an auto-commit connection. */
  static void require(Connection c, String writer) throws SQLException {
    if (c.getAutoCommit()) {
      throw new IllegalStateException(
          writer
              + " writes in the caller's transaction, so that rows and offsets commit"
              + " together: call setAutoCommit(false) before and commit() after");
    }
  }
}
