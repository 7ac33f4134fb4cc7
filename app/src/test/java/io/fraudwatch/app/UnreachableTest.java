package io.fraudwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudwatch.config.Cli;
import io.fraudwatch.config.CommandFailure;
import java.sql.SQLException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class UnreachableTest {

  @Test
  void aConnectionFailureOfPostgresNamesTheSettingsToCheck() {
    var refused = new SQLException("Connection to db:5432 refused.", "08001");

    CommandFailure failure =
        Unreachable.translate(new IllegalStateException("migration failed", refused)).orElseThrow();

    assertThat(failure.exitCode()).isEqualTo(Cli.FAILURE);
    assertThat(failure.getMessage())
        .isEqualTo(
            "cannot reach PostgreSQL: Connection to db:5432 refused. Check jdbc.url, that"
                + " PostgreSQL runs and accepts TCP/IP connections from this host, and"
                + " jdbc.ssl-mode (docs/configuration.md)");
  }

  @Test
  void aKafkaTimeoutNamesTheSettingsToCheck() {
    CommandFailure failure =
        Unreachable.translate(new TimeoutException("Timeout expired while fetching topic metadata"))
            .orElseThrow();

    assertThat(failure.getMessage())
        .startsWith("Kafka did not answer: Timeout expired")
        .contains("kafka.bootstrap");
  }

  @Test
  void otherFailuresAndCommandsOwnMessagesAreLeftAlone() {
    assertThat(Unreachable.translate(new SQLException("duplicate key", "23505"))).isEmpty();
    assertThat(
            Unreachable.translate(
                new CommandFailure(
                    Cli.FAILURE,
                    "cannot connect to PostgreSQL at db as operator",
                    new SQLException("refused", "08001"))))
        .isEmpty();
  }
}
