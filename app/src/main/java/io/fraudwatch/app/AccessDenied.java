package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Failures that mean a service refused us (wrong Kafka credentials or certificates, a PostgreSQL
 * login it does not accept), wherever they surface in a command: they end it with {@link
 * Cli#ACCESS_DENIED} and say which settings to check, instead of a generic failure with a stack
 * trace.
 */
final class AccessDenied {
  static final String KAFKA_HINT =
      ". Check kafka.security-protocol, kafka.sasl-mechanism, kafka.sasl-username,"
          + " the password (kafka.sasl-password-file or FRAUDWATCH_KAFKA_SASL_PASSWORD) and kafka.ssl-truststore"
          + " (docs/security.md)";
  // each command logs in as one of three users; the message names the one that was refused
  static final String POSTGRES_HINT =
      ". Check the login the command uses and its password: jdbc.user (the job, score, demo, migrate)"
          + " with jdbc.password-file or FRAUDWATCH_JDBC_PASSWORD; jdbc.operator-user (models, rules,"
          + " maintain) with jdbc.operator-password-file or FRAUDWATCH_JDBC_OPERATOR_PASSWORD;"
          + " jdbc.investigator-user (alerts list|review) with jdbc.investigator-password-file or"
          + " FRAUDWATCH_JDBC_INVESTIGATOR_PASSWORD. And jdbc.ssl-mode / jdbc.ssl-root-cert"
          + " (docs/security.md)";

  private AccessDenied() {}

  /** The command failure to report instead of {@code e}, when {@code e} was caused by a refusal. */
  static Optional<CommandFailure> translate(Throwable e) {
    if (e instanceof CommandFailure f && f.exitCode() != Cli.FAILURE) {
      return Optional.empty(); // already says what it means
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return Optional.of(
            new CommandFailure(
                Cli.ACCESS_DENIED, "Kafka refused the client: " + t.getMessage() + KAFKA_HINT, e));
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("28")) {
        return Optional.of(
            new CommandFailure(
                Cli.ACCESS_DENIED,
                "PostgreSQL refused the login: " + sql.getMessage() + POSTGRES_HINT,
                e));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
