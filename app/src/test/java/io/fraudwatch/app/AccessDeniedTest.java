package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import io.fraudwatch.config.DatabaseLogin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AccessDeniedTest {
  private static final StopSignal NEVER_USED =
      () -> {
        throw new AssertionError("no long-running command expected");
      };
  private static final CommandLine LAUNCHER =
      FraudwatchCommand.commandLine(
          Map.of(),
          NEVER_USED,
          new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter()));
  private final AccessDenied accessDenied = new AccessDenied(LAUNCHER);

  @Test
  void thePostgresHintNamesEachLoginWithTheCommandsThatUseItFromTheCommandTree() {
    assertThat(AccessDenied.postgresHint(LAUNCHER))
        .contains(
            "jdbc.user (demo, migrate, score, cluster-demo, bench, backtest, the job on a cluster)"
                + " with jdbc.password-file or FRAUDWATCH_JDBC_PASSWORD",
            "jdbc.operator-user (models, rules, maintain) with jdbc.operator-password-file or"
                + " FRAUDWATCH_JDBC_OPERATOR_PASSWORD",
            "jdbc.investigator-user (alerts list, alerts review) with",
            "dashboard.jdbc-user (dashboard) with dashboard.jdbc-password-file",
            "jdbc.ssl-mode")
        // chaos runs its own PostgreSQL, whatever is configured
        .doesNotContain("chaos");
  }

  @Test
  void aCommandAddedWithALoginIsNamedInTheHint() {
    CommandLine root =
        FraudwatchCommand.commandLine(
            Map.of(),
            NEVER_USED,
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    root.addSubcommand("audit", new AuditCommand());

    assertThat(AccessDenied.postgresHint(root))
        .contains("jdbc.operator-user (models, rules, maintain, audit)");
  }

  @DatabaseLogin(DatabaseLogin.Login.OPERATOR)
  @CommandLine.Command(name = "audit")
  static final class AuditCommand implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void aRefusedPostgresLoginNamesEveryLoginSettingNotOnlyTheJobs() {
    var refused =
        new SQLException("FATAL: password authentication failed for user \"operator\"", "28P01");

    CommandFailure failure =
        accessDenied
            .translate(new RuntimeException("could not open the pool", refused))
            .orElseThrow();

    assertThat(failure.exitCode()).isEqualTo(Cli.ACCESS_DENIED);
    assertThat(failure.getMessage())
        .startsWith("PostgreSQL refused the login: FATAL: password authentication failed")
        .contains("jdbc.user", "jdbc.operator-user", "jdbc.investigator-user")
        .contains("FRAUDWATCH_JDBC_OPERATOR_PASSWORD");
  }

  @Test
  void aKafkaAuthenticationFailureGetsTheKafkaHint() {
    CommandFailure failure =
        accessDenied.translate(new SaslAuthenticationException("bad credentials")).orElseThrow();

    assertThat(failure.exitCode()).isEqualTo(Cli.ACCESS_DENIED);
    assertThat(failure.getMessage()).contains("Kafka refused the client", "kafka.sasl-username");
  }

  @Test
  void aMissingPrivilegeIsAccessDeniedWithTheLoginHint() {
    var denied =
        new SQLException("ERROR: permission denied for table flyway_schema_history", "42501");

    CommandFailure failure =
        accessDenied.translate(new RuntimeException("migration failed", denied)).orElseThrow();

    assertThat(failure.exitCode()).isEqualTo(Cli.ACCESS_DENIED);
    assertThat(failure.getMessage())
        .startsWith("PostgreSQL denied the login a privilege: ERROR: permission denied")
        .contains("jdbc.user (demo, migrate,");
  }

  @Test
  void otherFailuresAndFailuresThatAlreadySayWhatTheyMeanAreLeftAlone() {
    assertThat(accessDenied.translate(new SQLException("relation missing", "42P01"))).isEmpty();
    assertThat(
            accessDenied.translate(
                new CommandFailure(
                    Cli.NOT_FOUND, "no such model", new SQLException("denied", "28000"))))
        .isEmpty();
  }
}
