package io.fraudwatch.models;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How the stores (models, rules) talk to PostgreSQL: one connection per call, writes in one
 * transaction, SQL failures as {@link ModelStoreException} saying what was being done.
 */
public final class StoreTransactions {
  private StoreTransactions() {}

  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection conn) throws SQLException;
  }

  public static <T> T read(DataSource dataSource, String what, SqlWork<T> work) {
    try (Connection conn = dataSource.getConnection()) {
      return work.run(conn);
    } catch (SQLException e) {
      throw new ModelStoreException("database error while " + what + ": " + e.getMessage(), e);
    }
  }

  public static <T> T inTransaction(DataSource dataSource, String what, SqlWork<T> work) {
    try (Connection conn = dataSource.getConnection()) {
      boolean autoCommit = conn.getAutoCommit();
      conn.setAutoCommit(false);
      try {
        T result = work.run(conn);
        conn.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new ModelStoreException("database error while " + what + ": " + e.getMessage(), e);
    }
  }
}
