package io.fraudwatch.scoring.sink;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A row PostgreSQL refused, with the database's reason: its SQLState and its message (the primary
 * text, without the detail lines that repeat the row's values).
 */
public record Refused<T>(T row, String sqlState, String message) {

  static <T> Refused<T> of(T row, SQLException e) {
    String message = e.getMessage();
    if (e instanceof PSQLException p) {
      ServerErrorMessage server = p.getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        message = server.getMessage();
      }
    }
    return new Refused<>(row, e.getSQLState(), message);
  }

  /** The dead letter's reason: who refused, the SQLState and the message. */
  public String reason() {
    return "PostgreSQL refused the row (SQLState " + sqlState + "): " + message;
  }
}
