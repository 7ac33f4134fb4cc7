package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Failures that mean PostgreSQL or Kafka could not be reached, wherever they surface in a command
 * that does not say so itself: they end it with {@link Cli#FAILURE} and one line naming the service
 * and what to check, instead of the library's exception and its stack trace.
 */
final class Unreachable {
  static final String POSTGRES_HINT =
      ". Check jdbc.url, that PostgreSQL runs and accepts TCP/IP connections from this host, and"
          + " jdbc.ssl-mode (docs/configuration.md)";
  static final String KAFKA_HINT =
      ". Check kafka.bootstrap, that the brokers run and are reachable from this host, and"
          + " kafka.security-protocol (docs/configuration.md)";

  private Unreachable() {}

  /** The command failure to report instead of {@code e}, when a service could not be reached. */
  static Optional<CommandFailure> translate(Throwable e) {
    if (e instanceof CommandFailure) {
      return Optional.empty(); // already says what it means
    }
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      // SQL state class 08: connection exception
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return Optional.of(
            new CommandFailure(
                Cli.FAILURE,
                "cannot reach PostgreSQL: " + withoutFullStop(sql.getMessage()) + POSTGRES_HINT,
                e));
      }
      if (t instanceof TimeoutException) {
        return Optional.of(
            new CommandFailure(
                Cli.FAILURE,
                "Kafka did not answer: " + withoutFullStop(t.getMessage()) + KAFKA_HINT,
                e));
      }
    }
    return Optional.empty();
  }

  /** A library's message ready for the hint's ". Check ...": without its own full stop. */
  static String withoutFullStop(String message) {
    return message != null && message.endsWith(".")
        ? message.substring(0, message.length() - 1)
        : message;
  }
}
