package io.fraudwatch.app;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.DatabaseLogin;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine;

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
  private final String postgresHint;

  /**
   * @param root the launcher's command tree: each command's {@link DatabaseLogin} names the login
   *     it uses
   */
  AccessDenied(CommandLine root) {
    this.postgresHint = postgresHint(root);
  }

  /**
   * What a refused PostgreSQL login should check: every login with the commands that use it (from
   * their {@link DatabaseLogin}), its password's sources, and the TLS settings.
   */
  static String postgresHint(CommandLine root) {
    Map<DatabaseLogin.Login, List<String>> commands = new EnumMap<>(DatabaseLogin.Login.class);
    collect(root, commands);
    return commands.entrySet().stream()
            .map(
                e ->
                    e.getKey().userKey
                        + " ("
                        + String.join(", ", e.getValue())
                        + (e.getKey() == DatabaseLogin.Login.JOB ? ", the job on a cluster" : "")
                        + ") with "
                        + e.getKey().password)
            .collect(
                Collectors.joining(
                    "; ", ". Check the login the command uses and its password: ", ""))
        + ". And jdbc.ssl-mode / jdbc.ssl-root-cert (docs/security.md)";
  }

  /** The commands below {@code command} by login; a command's login covers its subcommands. */
  private static void collect(
      CommandLine command, Map<DatabaseLogin.Login, List<String>> commands) {
    DatabaseLogin login =
        command.getCommandSpec().userObject().getClass().getAnnotation(DatabaseLogin.class);
    if (login != null) {
      String path = command.getCommandSpec().qualifiedName();
      commands
          .computeIfAbsent(login.value(), l -> new ArrayList<>())
          .add(path.substring(path.indexOf(' ') + 1)); // without the launcher's name
      return;
    }
    command.getSubcommands().values().stream()
        .distinct() // aliases
        .forEach(sub -> collect(sub, commands));
  }

  /** The command failure to report instead of {@code e}, when {@code e} was caused by a refusal. */
  Optional<CommandFailure> translate(Throwable e) {
    if (e instanceof CommandFailure f && f.exitCode() != Cli.FAILURE) {
      return Optional.empty(); // already says what it means
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return Optional.of(
            new CommandFailure(
                Cli.ACCESS_DENIED,
                "Kafka refused the client: "
                    + Unreachable.withoutFullStop(t.getMessage())
                    + KAFKA_HINT,
                e));
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("28")) {
        return Optional.of(
            new CommandFailure(
                Cli.ACCESS_DENIED,
                "PostgreSQL refused the login: " + sql.getMessage() + postgresHint,
                e));
      }
      if (t instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
        // insufficient_privilege: e.g. migrate run as the job's login
        return Optional.of(
            new CommandFailure(
                Cli.ACCESS_DENIED,
                "PostgreSQL denied the login a privilege: " + sql.getMessage() + postgresHint,
                e));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
