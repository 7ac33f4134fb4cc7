package io.fraudwatch.scoring.sink;

import java.sql.SQLException;

/** What a PostgreSQL error says about the rows being written. */
public final class SqlStates {

  private SqlStates() {}

  /**
   * Whether PostgreSQL refused the data itself, so that the same rows would be refused again
   * however often they are written: class 22 (data exception: a value out of range, a character the
   * encoding cannot hold), class 23 (integrity constraint violation: a CHECK, NOT NULL, unique or
   * foreign key) and class 54 (program limit exceeded: an index entry too large). Anything else (a
   * lost connection, a deadlock, a cancelled statement) says nothing about the rows.
   */
  public static boolean refusesData(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
  }
}
