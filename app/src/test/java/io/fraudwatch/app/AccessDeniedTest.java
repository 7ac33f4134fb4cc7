package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.sql.SQLException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

class AccessDeniedTest {

  @Test
  void aRefusedPostgresLoginNamesEveryLoginSettingNotOnlyTheJobs() {
    var refused =
        new SQLException("FATAL: password authentication failed for user \"operator\"", "28P01");

    CommandFailure failure =
        AccessDenied.translate(new RuntimeException("could not open the pool", refused))
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
        AccessDenied.translate(new SaslAuthenticationException("bad credentials")).orElseThrow();

    assertThat(failure.exitCode()).isEqualTo(Cli.ACCESS_DENIED);
    assertThat(failure.getMessage()).contains("Kafka refused the client", "kafka.sasl-username");
  }

  @Test
  void otherFailuresAndFailuresThatAlreadySayWhatTheyMeanAreLeftAlone() {
    assertThat(AccessDenied.translate(new SQLException("relation missing", "42P01"))).isEmpty();
    assertThat(
            AccessDenied.translate(
                new CommandFailure(
                    Cli.NOT_FOUND, "no such model", new SQLException("denied", "28000"))))
        .isEmpty();
  }
}
